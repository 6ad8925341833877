import { describe, expect, it } from 'vitest';
import type { SuggestResult, Suggestion } from '../../../../core/assistant/suggest';
import { INITIAL_PICK, moveActive, optionsOf, pick } from './suggest-model';

const slot = (assignees: string[]) => ({ start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:00:00Z', assignees });
const soft = (reason: string) => ({ points: 0, reason });
function suggestion(id: string, name: string, ok: boolean, current = false): Suggestion {
  return {
    providerId: id,
    name,
    slot: slot([id]),
    ok,
    hardReasons: ok ? [] : [`${name} lacks the skill gas`],
    score: 0,
    travel: { ...soft(`Travel for ${name}`), minutes: 0, km: 0 },
    load: { ...soft('Day 0% booked'), utilizationAfter: 0 },
    customer: { ...soft('Has not served this customer before'), jobs: 0 },
    priority: soft('Normal priority: any free time that day fits'),
    current,
  };
}
const result = (over: Partial<SuggestResult> = {}): SuggestResult => ({
  bookingId: 'job',
  title: 'Leak',
  teamSize: 1,
  time: { kind: 'kept', start: '2026-11-24T15:00:00Z' },
  durationMinutes: 60,
  ranked: [suggestion('a', 'Ana', true), suggestion('b', 'Bo', true), suggestion('c', 'Cy', false)],
  crew: null,
  crewReason: null,
  ...over,
});

describe('suggest panel model', () => {
  it('lists every provider with its reasons; a team job’s crew comes first', () => {
    const plain = optionsOf(result());
    expect(plain.map((o) => [o.label, o.ok])).toEqual([['Ana', true], ['Bo', true], ['Cy', false]]);
    expect(plain[0]!.reasons).toEqual(['Travel for Ana', 'Day 0% booked', 'Has not served this customer before', 'Normal priority: any free time that day fits']);
    expect(plain[2]!.hardReasons).toEqual(['Cy lacks the skill gas']);
    const team = optionsOf(
      result({
        teamSize: 2,
        ranked: [suggestion('a', 'Ana', true, true), suggestion('b', 'Bo', true)],
        crew: { providerIds: ['a', 'b'], names: ['Ana', 'Bo'], slot: slot(['a', 'b']), score: 0, reason: 'Ana and Bo: free together' },
      }),
    );
    expect(team[0]).toMatchObject({ kind: 'crew', label: 'Crew: Ana + Bo', slot: slot(['a', 'b']), reasons: ['Ana and Bo: free together'] });
    // On a team job keeping its time, one person joins whoever is on it already.
    expect(team[2]!.slot.assignees).toEqual(['a', 'b']);
    expect(team[1]!.slot.assignees).toEqual(['a']);
    expect(team[1]!.reasons[0]).toBe('1 of 2 people: the job stays understaffed until one more joins');
    expect(team[2]!.reasons[0]).toBe('Travel for Bo');
  });

  it('Up and Down stop at the ends; Enter stages a fine provider at once', () => {
    const options = optionsOf(result());
    let s = moveActive(INITIAL_PICK, options.length, -1);
    expect(s.active).toBe(0);
    s = moveActive(moveActive(moveActive(s, options.length, 1), options.length, 1), options.length, 1);
    expect(s.active).toBe(2);
    const first = pick(INITIAL_PICK, options);
    expect(first.outcome).toEqual({ kind: 'stage', slot: slot(['a']), label: 'Ana' });
    expect(pick(INITIAL_PICK, [])).toEqual({ state: INITIAL_PICK, outcome: { kind: 'none' } });
  });

  it('a ruled-out provider takes a second Enter on the same row; moving away forgets the first', () => {
    const options = optionsOf(result());
    const once = pick({ active: 2, confirming: null }, options);
    expect(once.outcome).toEqual({ kind: 'confirm', label: 'Cy' });
    expect(once.state).toEqual({ active: 2, confirming: 'c' });
    expect(pick(once.state, options).outcome).toEqual({ kind: 'stage', slot: slot(['c']), label: 'Cy' });
    const away = moveActive(once.state, options.length, -1);
    expect(away.confirming).toBeNull();
    expect(pick(moveActive(away, options.length, 1), options).outcome.kind).toBe('confirm');
    // A click on another ruled-out row asks again, for that row.
    expect(pick(once.state, options, 1).outcome.kind).toBe('stage');
  });
});
