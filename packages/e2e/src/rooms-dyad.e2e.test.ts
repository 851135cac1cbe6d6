import { describe, expect, it } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import {
  admitNext,
  attr,
  consumerFigures,
  join,
  openParticipant,
  openStaff,
  PHONE,
  screenshot,
  waitForPeersMedia,
  waitUntil,
} from './browser.ts';
import { productAndBrowser } from './stack.ts';

// A dyad: two clients talk to each other while a curator watches. The clients are always
// told that the curator is there and whether it takes part; while it observes it sends
// nothing at all (checked at the SFU), and once it steps in both clients hear it.

const ctx = productAndBrowser();
const testId = (id: string) => `[data-testid="${id}"]`;

const selfId = async (page: Page) => {
  const row = await page.waitForSelector('[data-self="true"]', { timeout: 10_000 });
  return (await row!.evaluate((el) => el.getAttribute('data-testid')))!.replace('participant-', '');
};

describe('dyad', () => {
  it('shows the observing curator to both clients, sends nothing from it until it steps in, then both hear it', async () => {
    const name = `rooms-dyad-${Date.now()}`;
    const opts = (displayName: string) => ({ kind: 'dyad' as const, displayName });
    const producers = async () => (await ctx.product.sfu.request('roomState', { roomId: ctx.product.consultationId(name) })).producers;

    // The curator is staff: signed in, it opens the room from its consultations (no link).
    const curatorSeat = await ctx.product.staff(name, 'curator', '', opts('Орлова Татьяна Петровна'));
    const curatorStaffId = curatorSeat.id;
    const curator = await openStaff(ctx.browser, curatorSeat);
    await join(curator);
    await curator.waitForSelector(testId('curator-self-state'), { timeout: 15_000 });
    expect(await attr(curator, 'curator-self-state', 'data-state')).toBe('observing');
    const curatorId = await selfId(curator);

    const anna = await openParticipant(ctx.browser, await ctx.product.link(name, 'client', '', opts('Анна')));
    const maria = await openParticipant(ctx.browser, await ctx.product.link(name, 'client', '', opts('Мария')), PHONE);
    for (const client of [anna, maria]) {
      await join(client);
      await client.waitForSelector(testId('waiting-room'), { timeout: 15_000 });
    }
    // The curator lets them in (the dyad's waiting room is the curator's, and says so).
    expect(await anna.$eval('h1', (el) => el.textContent)).toBe('Куратор скоро пригласит вас');
    expect(await attr(anna, 'admitter-presence', 'data-present')).toBe('true');
    // Who is who (by the names in the curator's waiting list): each picture is checked per person.
    await waitUntil(async () => (await curator.$$(testId('waiting-entry'))).length === 2, 'both clients waiting');
    const waitingIds = new Map(
      await curator.$$eval(testId('waiting-entry'), (els) =>
        els.map((el) => [el.querySelector('strong')?.textContent ?? '', el.getAttribute('data-peer-id') ?? ''] as const),
      ),
    );
    const annaId = waitingIds.get('Анна')!;
    const mariaId = waitingIds.get('Мария')!;
    expect([annaId, mariaId].every(Boolean)).toBe(true);
    await admitNext(curator);
    await waitUntil(async () => (await curator.$$(testId('waiting-entry'))).length === 1, 'the second entry');
    await admitNext(curator);

    // Both clients see and hear each other, and both are told the curator observes.
    for (const [client, other] of [
      [anna, mariaId],
      [maria, annaId],
    ] as const) {
      await client.waitForSelector(testId('curator-indicator'), { timeout: 15_000 });
      expect(await attr(client, 'curator-indicator', 'data-state')).toBe('observing');
      expect(await client.$eval(testId('curator-indicator'), (el) => el.textContent)).toContain('Куратор наблюдает');
      await waitForPeersMedia(client, [other]);
    }
    // The curator receives both clients and sends nothing: four producers in the room, none of them its own.
    await waitForPeersMedia(curator, [annaId, mariaId]);
    await waitUntil(async () => (await producers()) === 4, 'the clients’ four producers');
    expect(new Set((await consumerFigures(curator)).map((c) => c.peerId)).size).toBe(2);
    for (const client of [anna, maria]) expect((await consumerFigures(client)).some((c) => c.peerId === curatorId)).toBe(false);
    // The curator's private notes (staff REST): written in the room, kept with the consultation, never shown to the clients.
    await curator.click(testId('tab-notes'));
    await curator.type(testId('note-input'), 'Анна активнее, Мария больше слушает.');
    await curator.click(testId('note-save'));
    await curator.waitForSelector(testId('note'), { visible: true, timeout: 10_000 });
    const notes = await ctx.product.prisma.consultationNote.findMany({ where: { consultationId: ctx.product.consultationId(name) } });
    expect(notes.map((n) => [n.body, n.authorId])).toEqual([['Анна активнее, Мария больше слушает.', curatorStaffId]]);
    for (const client of [anna, maria]) expect(await client.$(testId('tab-notes'))).toBeNull();
    await screenshot(anna, 'rooms-dyad-client-curator-observing');
    await screenshot(maria, 'rooms-dyad-client-curator-observing-phone');
    await screenshot(curator, 'rooms-dyad-curator-observing');

    // The curator steps in: both clients are told, and hear it.
    await curator.click(testId('step-in'));
    await curator.waitForSelector(testId('step-out'), { timeout: 10_000 });
    for (const client of [anna, maria]) {
      await waitUntil(async () => (await attr(client, 'curator-indicator', 'data-state')) === 'speaking', 'the curator shown speaking');
      await waitUntil(
        async () => (await consumerFigures(client)).some((c) => c.peerId === curatorId && c.source === 'mic' && c.packetsReceived > 20),
        'the curator’s voice at the client',
        20_000,
      );
    }
    await waitUntil(async () => (await producers()) === 6, 'the curator’s microphone and camera');
    expect(await attr(curator, 'curator-self-state', 'data-state')).toBe('speaking');
    // Each client sees the curator's picture as well as the other client's.
    await waitForPeersMedia(anna, [curatorId, mariaId]);
    await waitForPeersMedia(maria, [curatorId, annaId]);
    await screenshot(anna, 'rooms-dyad-client-curator-speaking');
    await screenshot(maria, 'rooms-dyad-client-curator-speaking-phone');
    await screenshot(curator, 'rooms-dyad-curator-speaking');

    // … and steps out again: its media are closed, the clients are told.
    await curator.click(testId('step-out'));
    await curator.waitForSelector(testId('step-in'), { timeout: 10_000 });
    for (const client of [anna, maria]) {
      await waitUntil(async () => (await attr(client, 'curator-indicator', 'data-state')) === 'observing', 'observing again');
    }
    await waitUntil(async () => (await producers()) === 4, 'the curator’s media closed');
    for (const client of [anna, maria]) {
      await waitUntil(async () => !(await consumerFigures(client)).some((c) => c.peerId === curatorId), 'no consumer of the curator left');
    }

    for (const page of [curator, anna, maria]) await page.browserContext().close();
  }, 180_000);
});
