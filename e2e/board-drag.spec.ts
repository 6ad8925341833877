import { expect, test } from './fixtures';
import { activeProviders, anyCard, assigneesOf, bookingsOn, cardIn, drafts, drag, lane, laneCenterY, openBoard, PLAN_DATE, stagedBadge, timeX } from './board';

/** Chicago is UTC-6 in November: 10:00 on the planning day is 16:00Z. */
const TEN_LOCAL = `${PLAN_DATE}T16:00:00Z`;

test.describe('board drag and drop', () => {
  test('assigns a job from the unassigned queue by dragging it onto a row', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const [, , target] = activeProviders(host);
    const queueCard = page.locator('.cl-queue-card[data-booking-id]').first();
    const id = (await queueCard.getAttribute('data-booking-id'))!;
    const queueBefore = Number(await page.locator('[data-queue-count]').textContent());

    await drag(page, queueCard, { x: await timeX(page, '10:00'), y: await laneCenterY(page, target!.id) });
    await expect.poll(() => drafts(host).length).toBe(1);

    const card = cardIn(page, target!.id, id);
    await expect(card).toHaveAttribute('data-staged', 'true');
    await expect(page.locator(`.cl-queue-card[data-booking-id="${id}"]`)).toHaveCount(0);
    await expect(page.locator('[data-queue-count]')).toHaveText(String(queueBefore - 1));
    await expect(stagedBadge(page)).toContainText('1');
    // Staged in the workspace file, not yet saved into the schedule.
    expect(drafts(host)).toEqual([{ id, slot: expect.objectContaining({ start: TEN_LOCAL, assignees: [target!.id] }) }]);
    expect(assigneesOf(host, id)).toEqual([]);
  });

  test('reassigns a job by dragging it to another row, keeping its time', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const providers = activeProviders(host);
    const job = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1)!;
    const [from] = assigneesOf(host, job.id);
    const to = providers.find((p) => p.id !== from)!;
    const source = cardIn(page, from!, job.id);
    const box = (await source.boundingBox())!;

    await drag(page, source, { x: box.x + 6, y: await laneCenterY(page, to.id) });

    await expect.poll(() => drafts(host).length).toBe(1);
    await expect(cardIn(page, to.id, job.id)).toHaveAttribute('data-staged', 'true');
    await expect(cardIn(page, from!, job.id)).toHaveCount(0);
    const [draft] = drafts(host);
    expect(draft?.id).toBe(job.id);
    expect(draft?.slot?.assignees).toEqual([to.id]);
    expect(Date.parse(draft!.slot!.start)).toBe(job.start_ms);
    expect(assigneesOf(host, job.id)).toEqual([from]); // saved schedule untouched until Save
  });

  test('resizes a job by dragging its end', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const job = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1)!;
    const [provider] = assigneesOf(host, job.id);
    const card = cardIn(page, provider!, job.id);
    const box = (await card.boundingBox())!;
    const hour = (await timeX(page, '11:00')) - (await timeX(page, '10:00'));
    await card.hover();

    await drag(page, card, { x: box.x + box.width - 2 + hour, y: box.y + 12 }, 'end');

    // Wait for the store first: while FullCalendar finishes the resize, its mirror briefly doubles the card.
    await expect.poll(() => drafts(host).length).toBe(1);
    await expect(card).toHaveAttribute('data-staged', 'true');
    const [draft] = drafts(host);
    expect(draft?.id).toBe(job.id);
    expect(Date.parse(draft!.slot!.start)).toBe(job.start_ms);
    expect(Date.parse(draft!.slot!.end)).toBe(job.end_ms! + 3_600_000);
  });

  test('shows a team job on every assignee’s row', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const team = bookingsOn(host, PLAN_DATE).find((b) => b.assignee_count >= 2 && b.status !== 'cancelled')!;
    expect(team, 'the demo day has a team job').toBeTruthy();
    const members = assigneesOf(host, team.id);
    for (const member of members) await expect(cardIn(page, member, team.id)).toBeVisible();
    await expect(anyCard(page, team.id)).toHaveCount(members.length);
  });

  test('turns both cards red when a move creates a double-booking, and says why', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const day = bookingsOn(host, PLAN_DATE).filter((b) => b.status === 'scheduled' && b.assignee_count === 1);
    // Two jobs of different providers, neither in conflict yet.
    const [a, b] = day.filter((x, i, all) => all.findIndex((y) => assigneesOf(host, y.id)[0] === assigneesOf(host, x.id)[0]) === i);
    const [providerA] = assigneesOf(host, a!.id);
    const [providerB] = assigneesOf(host, b!.id);
    const cardB = cardIn(page, providerB!, b!.id);
    const cardA = cardIn(page, providerA!, a!.id);
    const aBox = (await cardA.boundingBox())!;

    // Drop B onto A's row at A's start.
    await drag(page, cardB, { x: aBox.x + 6, y: await laneCenterY(page, providerA!) });
    await expect.poll(() => drafts(host).length).toBe(1);

    const movedB = cardIn(page, providerA!, b!.id);
    await expect(movedB).toHaveAttribute('data-conflict', 'red');
    await expect(cardA).toHaveAttribute('data-conflict', 'red');
    await expect(cardA).toHaveAttribute('title', new RegExp(`double-booked with "${b!.title}"`));
    await page.screenshot({ path: 'test-results/screenshots/board-conflict.png' });

    await cardA.click();
    const panel = page.locator('[data-panel="job"]');
    await expect(panel.locator('[data-conflict-kind="double_booking"][data-severity="red"]')).toContainText(b!.title);
    expect(drafts(host).map((d) => d.id)).toEqual([b!.id]);
    await expect(lane(page, providerA!).locator('[data-conflict="red"]')).toHaveCount(2);
  });

  test('unassigns a job dragged from its row back onto the queue', async ({ page, host }) => {
    await openBoard(page, host, PLAN_DATE);
    const job = bookingsOn(host, PLAN_DATE).find((b) => b.status === 'scheduled' && b.assignee_count === 1)!;
    const [provider] = assigneesOf(host, job.id);
    const queue = (await page.locator('[data-queue]').boundingBox())!;
    const queueBefore = Number(await page.locator('[data-queue-count]').textContent());

    await drag(page, cardIn(page, provider!, job.id), { x: queue.x + queue.width / 2, y: queue.y + queue.height / 2 });

    await expect.poll(() => drafts(host)).toEqual([{ id: job.id, slot: expect.objectContaining({ assignees: [] }) }]);
    await expect(anyCard(page, job.id)).toHaveCount(0);
    await expect(page.locator(`.cl-queue-card[data-booking-id="${job.id}"]`)).toBeVisible();
    await expect(page.locator('[data-queue-count]')).toHaveText(String(queueBefore + 1));
    await expect(stagedBadge(page)).toContainText('1');
    expect(Date.parse(drafts(host)[0]!.slot!.start)).toBe(job.start_ms); // keeps its time for the next drop
    expect(assigneesOf(host, job.id)).toEqual([provider]);
  });

  test('a job in the field dragged onto the queue stays on its row, with the reason, and the board goes on', async ({ page, host }) => {
    await openBoard(page, host);
    const day = bookingsOn(host);
    const sent = day.find((b) => b.status === 'en_route' && b.assignee_count === 1)!;
    expect(sent, 'the demo day has a job en route').toBeTruthy();
    const [provider] = assigneesOf(host, sent.id);
    const card = cardIn(page, provider!, sent.id);
    const queue = (await page.locator('[data-queue]').boundingBox())!;

    await drag(page, card, { x: queue.x + queue.width / 2, y: queue.y + queue.height / 2 });

    await expect(page.locator('[data-toast="error"]')).toContainText('needs a date and at least one technician');
    await expect(card).toBeVisible();
    await expect(card).not.toHaveAttribute('data-staged', 'true');
    expect(drafts(host)).toEqual([]);

    // The refused drop left the calendar painting: the next move shows at once, staged.
    const next = day.find((b) => (b.status === 'scheduled' || b.status === 'dispatched') && b.assignee_count === 1 && assigneesOf(host, b.id)[0] !== provider)!;
    const [from] = assigneesOf(host, next.id);
    const source = cardIn(page, from!, next.id);
    const box = (await source.boundingBox())!;
    await drag(page, source, { x: box.x + 6, y: await laneCenterY(page, provider!) });
    await expect(cardIn(page, provider!, next.id)).toHaveAttribute('data-staged', 'true');
    await expect.poll(() => drafts(host).map((d) => d.id)).toEqual([next.id]);
  });
});
