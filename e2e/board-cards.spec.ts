import { createWebSocketClient, type SocketConstructor } from '../renderer/src/api/ws-client';
import { anyCard, bookingsOn, openBoard, PLAN_DATE } from './board';
import { expect, test } from './fixtures';

// Cards are built as HTML strings (FullCalendar leaves an unchanged string alone on re-render), so every
// name a user typed must arrive on the board as text, never as markup.
test('shows names typed with markup characters as text on the card and in its tooltip', async ({ page, host }) => {
  const job = host.query<{ id: string; customer_id: string }>(
    'SELECT id, customer_id FROM bookings WHERE id IN (' + bookingsOn(host, PLAN_DATE).map(() => '?').join(',') + ") AND customer_id IS NOT NULL AND status = 'scheduled' LIMIT 1",
    ...bookingsOn(host, PLAN_DATE).map((b) => b.id),
  )[0]!;
  const customerId = job.customer_id;
  const name = `<img src=x onerror="window.__injected=1">Ada & "Co" 'Ltd' </div>`;

  const url = new URL(host.url);
  const client = createWebSocketClient({
    url: `ws://${url.host}/api?token=${url.searchParams.get('token')}`,
    WebSocket: globalThis.WebSocket as unknown as SocketConstructor,
  });
  try {
    const renamed = await client.request('commands:run', { name: 'updateCustomer', input: { id: customerId, name } });
    expect(renamed.ok, JSON.stringify(renamed)).toBe(true);
  } finally {
    client.close();
  }

  await openBoard(page, host, PLAN_DATE);
  const card = anyCard(page, job.id).first();
  await expect(card.locator('.cl-card__customer')).toHaveText(name);
  await expect(card).toHaveAttribute('title', new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await expect(card.locator('img')).toHaveCount(0);
  // The card's own structure is intact after the name: the status line still follows it.
  await expect(card.locator('.cl-card__bottom .cl-status')).toHaveText('Scheduled');
  expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
});
