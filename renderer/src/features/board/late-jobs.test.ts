import { describe, expect, it } from 'vitest';
import type { CardBooking } from '../../../../core/api/contract';
import type { Customer, Provider, Slot, Status } from '../../../../core/model';
import { BoardStore, type BoardClient } from './board-store';
import { cardOf, type BoardContext } from './board-model';
import { cardClassNames, cardHtml } from './card-html';
import { lateJobsOffer, lateProp, readLateProp, suggestInstead } from './late-jobs';
import type { Roster } from './use-roster';

/** Running late where the dispatcher looks (issue #19 §5): the card, the marker's data, the reassignment list. */

const slot = (hh: number, assignees: string[]): Slot => ({
  start: `2026-11-24T${String(hh).padStart(2, '0')}:00:00Z`,
  end: `2026-11-24T${String(hh + 1).padStart(2, '0')}:00:00Z`,
  assignees,
});
const booking = (id: string, s: Slot, status: Status = 'dispatched', statusNote = '', customerId: string | null = null): CardBooking => ({
  id,
  title: `Job ${id}`,
  customerId,
  serviceId: null,
  priority: 'normal',
  teamSize: 1,
  laborHours: 1,
  arrivalWindow: null,
  slot: s,
  status,
  statusNote,
  staged: false,
});

const ctx: BoardContext = { zone: 'UTC', autoResize: false, nowMs: Date.parse('2026-11-24T08:00:00Z'), customers: new Map(), services: new Map(), selectedId: null };

describe('the late card', () => {
  it('shows the technician\'s report on the card, escaped, with a hook for tests and styles', () => {
    const card = cardOf(booking('a', slot(9, ['ana']), 'dispatched', 'Running late: 20 min, <traffic> & rain'), undefined, ctx);
    expect(card.lateNote).toBe('Running late: 20 min, <traffic> & rain');
    const html = cardHtml(card);
    expect(html).toContain('<div class="cl-card__late-note">Running late: 20 min, &lt;traffic&gt; &amp; rain</div>');
    expect(html).toContain('data-late-note="Running late: 20 min, &lt;traffic&gt; &amp; rain"');
    expect(cardClassNames(card)).toContain('cl-card--late-report');
  });
  it('shows nothing once the technician has checked in', () => {
    const card = cardOf(booking('a', slot(9, ['ana']), 'in_progress', 'Running late: 20 min'), undefined, ctx);
    expect(card.lateNote).toBeNull();
    expect(cardHtml(card)).not.toContain('cl-card__late-note');
  });
});

describe('the row marker', () => {
  it('carries the report in one comparable string and reads it back', () => {
    expect(lateProp(undefined)).toBe('');
    expect(readLateProp('')).toBeNull();
    const prop = lateProp({ providerId: 'ana', bookingId: 'a', note: 'Running late: "20" min', count: 2 });
    expect(readLateProp(prop)).toEqual({ providerId: '', bookingId: 'a', note: 'Running late: "20" min', count: 2 });
  });
});

describe('the next jobs, offered for reassignment', () => {
  const customers = new Map([['c1', { id: 'c1', name: 'Dee Whitfield' } as Customer]]);
  const providers = new Map([['ana', { id: 'ana', name: 'Ana Silva' } as Provider]]);
  const bookings = [
    booking('late', slot(9, ['ana']), 'dispatched', 'Running late: 20 min, traffic'),
    booking('next', slot(11, ['ana']), 'dispatched', '', 'c1'),
    booking('after', slot(14, ['ana']), 'scheduled'),
    booking('other', slot(12, ['bo'])),
  ];

  it('names the late job and the technician\'s next jobs that day', () => {
    const offer = lateJobsOffer(bookings, 'ana', 'late', { zone: 'UTC', customers, providers })!;
    expect(offer.providerName).toBe('Ana Silva');
    expect(offer.note).toBe('Running late: 20 min, traffic');
    expect(offer.late).toMatchObject({ id: 'late', title: 'Job late' });
    expect(offer.next.map((j) => [j.id, j.customer])).toEqual([['next', 'Dee Whitfield'], ['after', '']]);
    expect(offer.next[0]!.time).toMatch(/^11:00.12:00$/);
  });

  it('is gone once the report no longer stands', () => {
    const arrived = bookings.map((b) => (b.id === 'late' ? { ...b, status: 'in_progress' as Status } : b));
    expect(lateJobsOffer(arrived, 'ana', 'late', { zone: 'UTC', customers, providers })).toBeNull();
  });

  const quietClient: BoardClient = { request: () => new Promise(() => {}), on: () => () => {} };
  const roster = { settings: { timeZone: 'UTC' }, providers: [], providersById: new Map(), services: new Map(), customers: new Map() } as unknown as Roster;

  it("the button opens the assistant's suggest panel for that job", () => {
    const store = new BoardStore(quietClient, roster, { notify: () => {} });
    expect(store.getState().assistant).toBeNull();
    suggestInstead(store, 'next');
    expect(store.getState().assistant).toEqual({ kind: 'suggest', bookingId: 'next' });
  });

  it('a view-only board opens nothing: the panel only stages edits', () => {
    const store = new BoardStore(quietClient, roster, { notify: () => {} });
    store.setReadOnly(true);
    suggestInstead(store, 'next');
    expect(store.getState().assistant).toBeNull();
  });
});
