import type { SavedRecord } from './form-model';

/**
 * What a record screen (Customers, Services, Providers, Team) holds besides its list: which record the side
 * panel edits, and the notice above the list. Plain functions, so the screens share one behaviour.
 */

export type Editing = { kind: 'new' } | { kind: 'edit'; id: string } | null;

export interface RecordScreenState {
  editing: Editing;
  notice: string | null;
  /** A record just created and kept open: "Loading…" until the list has it, not "not found". */
  justCreated: string | null;
}

export const initialRecordScreen = (initialId?: string): RecordScreenState => ({
  editing: initialId ? { kind: 'edit', id: initialId } : null,
  notice: null,
  justCreated: null,
});

/** Opens a record, a new one, or closes the panel (null); the last notice goes. */
export const openRecord = (state: RecordScreenState, editing: Editing): RecordScreenState => ({ ...state, editing, notice: null });

export interface AfterSave {
  /** A created record stays open (e.g. to add a provider's time off), with this notice. */
  keepCreatedOpen?: (name: string) => string;
}

/** A form saved: the panel closes and the notice says what happened (or a new record stays open). */
export function recordSaved(state: RecordScreenState, saved: SavedRecord, after: AfterSave = {}): RecordScreenState {
  if (saved.created && after.keepCreatedOpen) {
    return { editing: { kind: 'edit', id: saved.id }, notice: after.keepCreatedOpen(saved.name), justCreated: saved.id };
  }
  return { ...state, editing: null, notice: saved.created ? `Created ${saved.name}.` : `Saved ${saved.name}.` };
}

export const isSelected = (editing: Editing, id: string): boolean => editing?.kind === 'edit' && editing.id === id;

export type PanelContent<R> = { kind: 'new' } | { kind: 'record'; record: R } | { kind: 'loading' } | { kind: 'missing' } | null;

/** What the side panel shows: the new form, the record's, or why there is none. */
export function panelContent<R extends { id: string }>(state: RecordScreenState, all: readonly R[], loading: boolean): PanelContent<R> {
  const { editing } = state;
  if (!editing) return null;
  if (editing.kind === 'new') return { kind: 'new' };
  const record = all.find((r) => r.id === editing.id);
  if (record) return { kind: 'record', record };
  return loading || editing.id === state.justCreated ? { kind: 'loading' } : { kind: 'missing' };
}

export interface ListOptions<R> {
  /** The search box's text (matched trimmed, case-insensitively). */
  search: string;
  /** The texts of a record the search looks in. */
  searchable: (r: R) => readonly string[];
  /** With "Show inactive" off, only records this says are active. */
  active?: (r: R) => boolean;
  showInactive?: boolean;
  compare: (a: R, b: R) => number;
}

/** The records listed: matching the search, active ones only unless asked, in the screen's order. */
export function visibleRecords<R>(all: readonly R[], o: ListOptions<R>): R[] {
  const q = o.search.trim().toLowerCase();
  return all
    .filter((r) => (o.showInactive !== false || !o.active || o.active(r)) && (!q || o.searchable(r).some((s) => s.toLowerCase().includes(q))))
    .sort(o.compare);
}
