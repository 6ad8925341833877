import { describe, expect, it } from 'vitest';
import type { Status } from '../../../../core/model';
import { cardHtml, type CardModel } from './card-html';

const card = (patch: Partial<CardModel> = {}): CardModel => ({
  id: 'b1',
  title: 'Furnace <b>repair</b>',
  customer: 'Dee & Co',
  service: 'HVAC',
  time: '09:00–11:00',
  arrival: null,
  priority: 'normal',
  status: 'scheduled',
  staged: false,
  late: false,
  severity: null,
  reasons: [],
  team: null,
  selected: false,
  editable: true,
  offlineBy: [],
  viewers: [],
  ...patch,
});

describe('cardHtml', () => {
  it('draws a card with its status in words and every typed text escaped', () => {
    const html = cardHtml(card());
    expect(html).toContain('data-status="scheduled"');
    expect(html).toContain('Scheduled');
    expect(html).toContain('Furnace &lt;b&gt;repair&lt;/b&gt;');
    expect(html).toContain('Dee &amp; Co');
    expect(html).not.toContain('<b>repair');
  });

  it('a status this console does not know reads as such instead of breaking the board', () => {
    const html = cardHtml(card({ status: 'teleported' as Status }));
    expect(html).toContain('Unknown status');
  });
});
