/**
 * What the losing side of a conflict is told (`lostWrites`, `group-entries.ts`): both sides, in the words
 * of the job panel, and the rule that decided. Used for the desktop's marks.
 */
import { STATUS_LABELS } from '../status';
import type { Status } from '../model';
import type { LostWrite } from './group-entries';

/** The action of a lost-write mark among the desktop's offline-change marks. */
export const CONFLICT_LOST_ACTION = 'conflict_lost';

const GROUP_WORDS: Readonly<Record<string, string>> = {
  details: 'details',
  location: 'address',
  arrival: 'arrival window',
  notes: 'notes',
  slot: 'time and team',
  status: 'status',
  statusNote: 'status note',
  dispatch: 'sent to tech',
};

function sideOf(group: string, value: Readonly<Record<string, unknown>>): string {
  if (group === 'status' && typeof value.status === 'string') return STATUS_LABELS[value.status as Status] ?? value.status;
  if (group === 'notes' && typeof value.notes === 'string') return `"${value.notes.length > 60 ? `${value.notes.slice(0, 57)}...` : value.notes}"`;
  if (group === 'slot') return value._o === 'claim' ? 'a claim' : 'another time or team';
  return 'another change';
}

export function lostWriteSummary(lost: LostWrite): string {
  const words = GROUP_WORDS[lost.group] ?? lost.group;
  const why = lost.rule ? lost.rule.why : 'it was made later.';
  return `Your change of the ${words} (${sideOf(lost.group, lost.loser.value)}) was not kept: ${sideOf(lost.group, lost.winner.value)} won, because ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
}
