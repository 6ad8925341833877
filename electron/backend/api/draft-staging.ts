/**
 * The board's staged edits (`draft:stage`, `draft:stageMany`, `draft:discard`): the checks Save will run,
 * the `draft_changes` rows, and what changed in the range the board shows. It reads the read tables and the
 * drafts only, never the schedule document, so two places run it: the backend (a drop right after open
 * does not decode the document), and the host's router while the backend decodes it
 * (../backend-entry-remote.ts), so a drop never waits seconds for that.
 */
import { checkStagedSlot, ok, sameSlot, fail, type AdmitContext, type RequestInput, type RequestOutput, type Result, type Slot } from '../../../core/index';
import { boardDelta, checkRange, type BoardTables } from './board-view';

export type StagingTables = BoardTables & {
  /** Who stages, the roster the checks read, and the document format this build knows. */
  admitContext(): AdmitContext;
};

export type DraftRequest = 'draft:stage' | 'draft:stageMany' | 'draft:discard';
export const DRAFT_REQUESTS: readonly DraftRequest[] = ['draft:stage', 'draft:stageMany', 'draft:discard'];
export const isDraftRequest = (name: string): name is DraftRequest => (DRAFT_REQUESTS as readonly string[]).includes(name);

type Staged = Result<RequestOutput<DraftRequest>>;

/** Runs one draft request (input validated against the contract already); on success the staged count changed. */
export function runDraftRequest<N extends DraftRequest>(tables: StagingTables, name: N, input: RequestInput<N>): Staged {
  if (name === 'draft:stage') return stage(tables, input as RequestInput<'draft:stage'>);
  if (name === 'draft:stageMany') return stageMany(tables, input as RequestInput<'draft:stageMany'>);
  return discard(tables, input as RequestInput<'draft:discard'>);
}

/** The checks Save will run on a new slot (`setSlot`'s), on the booking as the read tables hold it. */
export function checkOnTables(tables: Pick<BoardTables, 'queries'>, context: AdmitContext, input: { id: string; slot: Slot | null }): Result<void> {
  return checkStagedSlot(context, (id) => tables.queries.bookingOrArchived(id), input);
}

function stage(tables: StagingTables, { id, slot, view }: RequestInput<'draft:stage'>): Staged {
  const range = view ? checkRange(view) : undefined;
  if (range && !range.ok) return range;
  // The same checks Save will run, now, so an illegal drag is refused where it happened.
  const checked = checkStagedSlot(tables.admitContext(), (b) => tables.queries.bookingOrArchived(b), { id, slot });
  if (!checked.ok) return checked;
  const rowsBefore = rowsOf(tables, [id]);
  // Back where it is saved (a technician added, then removed): nothing left to save for this job.
  if (sameSlot(tables.queries.booking(id)?.slot, slot)) tables.drafts.discard(id);
  else tables.drafts.stage(id, slot);
  return answer(tables, [id], rowsBefore, range?.value);
}

function stageMany(tables: StagingTables, { slots, view }: RequestInput<'draft:stageMany'>): Staged {
  const range = view ? checkRange(view) : undefined;
  if (range && !range.ok) return range;
  const context = tables.admitContext();
  for (const entry of slots) {
    if ('discard' in entry) continue;
    const checked = checkOnTables(tables, context, { id: entry.id, slot: entry.slot });
    if (!checked.ok) {
      const title = tables.queries.booking(entry.id)?.title;
      return fail(checked.error.code, title ? `"${title}": ${checked.error.message}` : checked.error.message, { details: { id: entry.id } });
    }
  }
  const ids = slots.map((e) => e.id);
  const rowsBefore = rowsOf(tables, ids);
  tables.drafts.stageMany(
    slots.map((e) =>
      'discard' in e ? { id: e.id, slot: null, discard: true } : { id: e.id, slot: e.slot, discard: sameSlot(tables.queries.booking(e.id)?.slot, e.slot) },
    ),
  );
  return answer(tables, ids, rowsBefore, range?.value);
}

function discard(tables: StagingTables, { id, view }: RequestInput<'draft:discard'>): Staged {
  const range = view && id ? checkRange(view) : undefined;
  if (range && !range.ok) return range;
  const rowsBefore = id ? rowsOf(tables, [id]) : [];
  tables.drafts.discard(id);
  return answer(tables, id ? [id] : [], rowsBefore, range?.value);
}

function answer(tables: StagingTables, ids: readonly string[], rowsBefore: Iterable<string>, range: { from: number; to: number } | undefined): Staged {
  const stagedCount = tables.drafts.count();
  return ok(range ? { stagedCount, view: boardDelta(tables, ids, rowsBefore, range.from, range.to) } : { stagedCount });
}

/** The rows the given bookings are on now, as the board shows them (staged edits applied). */
function rowsOf(tables: BoardTables, ids: readonly string[]): Set<string> {
  const staged = tables.drafts.list();
  const rows = new Set<string>();
  for (const id of ids) {
    const slot = staged.has(id) ? staged.get(id)! : (tables.queries.booking(id)?.slot ?? null);
    for (const p of slot?.assignees ?? []) rows.add(p);
  }
  return rows;
}
