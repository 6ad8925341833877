/**
 * What the losing side of a conflict on a roster record (provider, customer, service) is told: which
 * fields it changed, what was kept and what of its own was lost, in the words of the record's form
 * (`field-labels.ts`). The desktop keeps these as marks until the user says "Got it".
 */
import { z } from 'zod';
import { fieldLabel } from '../field-labels';
import { listText } from '../format';
import type { LostWrite } from './group-entries';
import { CUSTOMER_GROUPS, PROVIDER_GROUPS, SERVICE_GROUPS } from './groups';

export const ROSTER_RECORD_KINDS = ['providers', 'customers', 'services'] as const;
export type RosterRecordKind = (typeof ROSTER_RECORD_KINDS)[number];
export const rosterRecordKindSchema = z.enum(ROSTER_RECORD_KINDS, { message: `One of ${ROSTER_RECORD_KINDS.join(', ')}` });

/** The field groups a roster record's writes are settled by (time off is a map of entries: both are kept). */
export const ROSTER_GROUPS: Readonly<Record<RosterRecordKind, readonly string[]>> = {
  providers: Object.keys(PROVIDER_GROUPS),
  customers: Object.keys(CUSTOMER_GROUPS),
  services: Object.keys(SERVICE_GROUPS),
};
const FIELDS: Readonly<Record<RosterRecordKind, Readonly<Record<string, readonly string[]>>>> = {
  providers: PROVIDER_GROUPS,
  customers: CUSTOMER_GROUPS,
  services: SERVICE_GROUPS,
};

/** The action of a roster lost-write mark. */
export const ROSTER_CONFLICT_LOST_ACTION = 'roster_conflict_lost';

/** One mark as the record screens read it. */
export interface RosterLostWrite {
  kind: RosterRecordKind;
  recordId: string;
  /** Stable per lost write: a second delivery of the same winner marks nothing new. */
  entryId: string;
  /** When the kept change was made. */
  at: string;
  /** "Name \"Tess Brown\"": what every desktop now shows. */
  kept: string;
  /** "Name \"Tess Black\"": this desktop's change that lost. */
  lost: string;
}

const clip = (text: string) => `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;

/** One field's value as a person reads it; never code. */
export function fieldValueText(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return 'empty';
  if (field === 'active' && typeof value === 'boolean') return value ? 'active' : 'inactive';
  if (typeof value === 'string') return clip(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : clip(value.map(String).join(', '));
  if (field === 'channels' && typeof value === 'object') {
    const on = Object.entries(value as Record<string, unknown>).filter(([, v]) => v === true).map(([k]) => (k === 'sms' ? 'SMS' : k));
    return on.length === 0 ? 'none' : on.join(', ');
  }
  return 'another value';
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Both sides of a lost write, field by field where they differ ("Name "A", Phone "1""). Sides that hold
 * the same values (two desktops typed the same) read as such, so nothing is made to look lost.
 */
export function rosterLostWriteSides(kind: RosterRecordKind, lost: LostWrite): { kept: string; lost: string } {
  const fields = FIELDS[kind][lost.group] ?? [];
  const differing = fields.filter((f) => !same(lost.loser.value[f], lost.winner.value[f]));
  if (differing.length === 0) {
    const words = listText(fields.map((f) => fieldLabel(f)));
    return { kept: `${words}: the same values as yours`, lost: `${words}: the same values` };
  }
  const side = (value: Readonly<Record<string, unknown>>) =>
    // Field-value pairs read as a record (Name "A", Phone "1"), not as a sentence's list.
    differing.map((f) => `${fieldLabel(f)} ${fieldValueText(f, value[f])}`).join(', ');
  return { kept: side(lost.winner.value), lost: side(lost.loser.value) };
}

/** How a mark reads in one line (stored as the mark's summary). */
export const rosterLostWriteText = (sides: { kept: string; lost: string }): string =>
  `Kept: ${sides.kept}. Yours, not kept: ${sides.lost}.`;

/** The two sides back from a summary `rosterLostWriteText` wrote; null: not one of its lines. */
export function parseRosterLostWriteText(summary: string): { kept: string; lost: string } | null {
  const match = /^Kept: (.*)\. Yours, not kept: (.*)\.$/s.exec(summary);
  return match ? { kept: match[1]!, lost: match[2]! } : null;
}
