import type { SuggestResult, Suggestion } from '../../../../core/assistant/suggest.ts';
import type { Slot } from '../../../../core/model.ts';

/**
 * The suggest panel's list and keys, as plain data (unit test: suggest-model.test.ts). One option per
 * provider, the suggested crew first for a team job; Up/Down move, Enter picks. A provider who breaks a hard
 * rule can be picked only with a second Enter (or click) on the same row: the first one asks.
 */
export interface SuggestOption {
  key: string;
  kind: 'crew' | 'provider';
  label: string;
  /** What picking stages. */
  slot: Slot;
  ok: boolean;
  /** The engine's reasons (ruled out), else nothing. */
  hardReasons: string[];
  /** The soft scores in words, best-known first: travel, load, customer, priority (or the crew's reason). */
  reasons: string[];
  current: boolean;
}

export interface PickState {
  active: number;
  /** The ruled-out option waiting for its second Enter. */
  confirming: string | null;
}

export type PickOutcome = { kind: 'stage'; slot: Slot; label: string } | { kind: 'confirm'; label: string } | { kind: 'none' };

export const INITIAL_PICK: PickState = { active: 0, confirming: null };

export function optionsOf(result: SuggestResult): SuggestOption[] {
  const options: SuggestOption[] = [];
  if (result.crew) {
    options.push({
      key: 'crew',
      kind: 'crew',
      label: `Crew: ${result.crew.names.join(' + ')}`,
      slot: result.crew.slot,
      ok: true,
      hardReasons: [],
      reasons: [result.crew.reason],
      current: false,
    });
  }
  // A team job keeping its time: picking one person adds them to the people already on it.
  const onJob = result.ranked.filter((s) => s.current).map((s) => s.providerId);
  const addsToCrew = result.teamSize > 1 && result.time.kind === 'kept';
  for (const s of result.ranked) {
    const assignees = addsToCrew ? [...new Set([...onJob, s.providerId])] : [s.providerId];
    // Judged on their own share; picked alone, the job is short of people until others join (amber).
    const short = result.teamSize - assignees.length;
    const crewNote = short > 0 ? [`${assignees.length} of ${result.teamSize} people: the job stays understaffed until ${short === 1 ? 'one more joins' : `${short} more join`}`] : [];
    options.push({
      key: s.providerId,
      kind: 'provider',
      label: s.name,
      slot: { ...s.slot, assignees },
      ok: s.ok,
      hardReasons: s.hardReasons,
      reasons: [...crewNote, ...softReasons(s)],
      current: s.current,
    });
  }
  return options;
}

export const softReasons = (s: Suggestion): string[] => [s.travel.reason, s.load.reason, s.customer.reason, s.priority.reason];

/** Up/Down: one row, stopping at the ends; moving away cancels a pending confirmation. */
export function moveActive(state: PickState, count: number, by: 1 | -1): PickState {
  if (count === 0) return state;
  const active = Math.max(0, Math.min(count - 1, state.active + by));
  return active === state.active ? state : { active, confirming: null };
}

/** Enter on the active row, or a click on `index`. */
export function pick(state: PickState, options: readonly SuggestOption[], index = state.active): { state: PickState; outcome: PickOutcome } {
  const option = options[index];
  if (!option) return { state, outcome: { kind: 'none' } };
  if (option.ok || state.confirming === option.key) {
    return { state: { active: index, confirming: null }, outcome: { kind: 'stage', slot: option.slot, label: option.label } };
  }
  return { state: { active: index, confirming: option.key }, outcome: { kind: 'confirm', label: option.label } };
}
