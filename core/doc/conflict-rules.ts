/**
 * Where "the later write wins" is not what people expect: the one table of domain rules for concurrent
 * writes of one field group (writes neither side saw before making its own). The reader of a group
 * (`group-entries.ts`) asks `ruleBetween` for each concurrent pair; without a rule the later stamp wins.
 *
 * Each rule names the winner, why, and who is told. Whatever the rule, the losing value is not erased
 * without a trace: the loser's history entry stays (history is append-only) and `lostWrites` lists the
 * losing write until a later write replaces both, so the office and the losing side see it.
 */
import type { Status } from '../model';

/** A group value as stored: its fields plus `_o`, the kind of command that wrote it (e.g. `claim`). */
export type GroupValue = Readonly<Record<string, unknown>>;

export interface ConflictRule {
  id: string;
  group: string;
  /** Which of two concurrent values each side is. */
  winnerSide: (value: GroupValue) => boolean;
  loserSide: (value: GroupValue) => boolean;
  why: string;
  told: string;
}

const statusIs =
  (...statuses: Status[]) =>
  (value: GroupValue) =>
    statuses.includes(value.status as Status);

/** Statuses a technician reports from the field. */
const FIELD_STATUSES: Status[] = ['en_route', 'in_progress', 'completed'];
/** Statuses the office's planning writes (an assign, unassign, move or Send to tech sets them). */
const PLANNING_STATUSES: Status[] = ['unscheduled', 'scheduled', 'dispatched'];

export const CONFLICT_RULES: readonly ConflictRule[] = [
  {
    id: 'cancel-beats-en-route',
    group: 'status',
    winnerSide: statusIs('cancelled'),
    loserSide: statusIs('en_route'),
    why: 'The office called the visit off; nothing has been done on site yet, so the cancel stands.',
    told: 'The technician, as for any cancel of a job sent to them (the worker\'s message, the /tech/ notice); the office sees the en route in the job history.',
  },
  {
    id: 'field-work-beats-cancel',
    group: 'status',
    winnerSide: statusIs('in_progress', 'completed'),
    loserSide: statusIs('cancelled'),
    why: 'Work reported from the field happened; a cancel made without knowing it cannot undo it.',
    told: 'The office (their cancel is marked lost, the job panel shows both sides).',
  },
  {
    id: 'check-in-beats-unassign',
    group: 'status',
    winnerSide: statusIs(...FIELD_STATUSES),
    loserSide: statusIs(...PLANNING_STATUSES),
    why:
      'A technician on the way or on site is a fact; a planning change (unassign, move) made without knowing it ' +
      'keeps its new slot but cannot set the status back.',
    told: 'The office (their change is marked lost, the job shows the field status).',
  },
  {
    id: 'reassign-beats-claim',
    group: 'slot',
    winnerSide: (value) => value._o !== 'claim',
    loserSide: (value) => value._o === 'claim',
    why: 'Who goes is the office\'s decision; a claim is an offer the office had not seen when it planned.',
    told: 'The technician who claimed, as anyone taken off a job sent to them (the worker\'s message, the /tech/ notice); the office sees the claim in the history.',
  },
];

/** Which of two concurrent values of `group` wins by a rule ('a' or 'b'), and the rule; null: no rule applies. */
export function ruleBetween(group: string, a: GroupValue, b: GroupValue): { winner: 'a' | 'b'; rule: ConflictRule } | null {
  for (const rule of CONFLICT_RULES) {
    if (rule.group !== group) continue;
    if (rule.winnerSide(a) && rule.loserSide(b)) return { winner: 'a', rule };
    if (rule.winnerSide(b) && rule.loserSide(a)) return { winner: 'b', rule };
  }
  return null;
}
