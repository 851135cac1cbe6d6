import { describe, expect, it } from '@jest/globals';
import {
  attr,
  chatLines,
  join,
  openParticipant,
  openStaff,
  openTab,
  PHONE,
  screenshot,
  sendChat,
  waitForMedia,
  waitUntil,
} from './browser.ts';
import { productAndBrowser } from './stack.ts';

// A one-to-one consultation in real Chromium pages: the client waits in the waiting room
// until the specialist lets it in (or says «не сейчас»), the chat reaches both sides and
// is kept with the consultation, and a reload within the resume grace comes straight back.

const ctx = productAndBrowser();
const testId = (id: string) => `[data-testid="${id}"]`;

describe('one-to-one room with a waiting room', () => {
  it('the client waits, is declined, asks again and is let in; audio-only and the chat reach the other side; a reload comes straight back', async () => {
    const name = `rooms-o2o-${Date.now()}`;
    const clientLink = await ctx.product.link(name, 'client', '', { displayName: 'Петрова Анна Сергеевна' });
    const specialistSeat = await ctx.product.staff(name, 'specialist', '', { displayName: 'Соколова Ирина Викторовна' });

    // The client comes first: the waiting room says the specialist is not there yet.
    const client = await openParticipant(ctx.browser, clientLink);
    await join(client);
    await client.waitForSelector(testId('waiting-room'), { timeout: 15_000 });
    expect(await attr(client, 'waiting-room', 'data-state')).toBe('waiting');
    expect(await attr(client, 'admitter-presence', 'data-present')).toBe('false');
    expect(await client.$eval('h1', (el) => el.textContent)).toBe('Специалист скоро пригласит вас');
    // Device switches work while waiting (nothing is sent: the server has no producer yet).
    await client.click(testId('mic-toggle'));
    expect(await attr(client, 'mic-toggle', 'aria-pressed')).toBe('false');
    await client.click(testId('mic-toggle'));
    expect((await ctx.product.sfu.request('roomState', { roomId: ctx.product.consultationId(name) })).producers).toBe(0);

    // The specialist comes: the client is told at once, and the specialist sees who waits.
    const specialist = await openStaff(ctx.browser, specialistSeat);
    await join(specialist);
    await waitUntil(async () => (await attr(client, 'admitter-presence', 'data-present')) === 'true', '«Специалист на связи»');
    const entry = await specialist.waitForSelector(testId('waiting-entry'), { timeout: 15_000 });
    const clientId = (await entry!.evaluate((el) => el.getAttribute('data-peer-id')))!;
    expect(await entry!.evaluate((el) => el.textContent)).toContain('Петрова Анна Сергеевна');
    await waitUntil(
      async () => (await specialist.$eval(testId('status'), (el) => el.textContent)) === 'Петрова Анна Сергеевна ждёт в приёмной',
      'the specialist told who waits',
    );
    await screenshot(client, 'rooms-waiting-room');
    await screenshot(specialist, 'rooms-o2o-specialist-waiting-list');
    await client.setViewport(PHONE);
    await screenshot(client, 'rooms-waiting-room-phone');
    await specialist.setViewport(PHONE);
    await screenshot(specialist, 'rooms-o2o-specialist-waiting-list-phone');
    await specialist.setViewport({ width: 1280, height: 800 });

    // «Не сейчас»: the client reads why, and asks again.
    await specialist.click(testId(`decline-${clientId}`));
    await client.waitForSelector(testId('declined'), { timeout: 10_000 });
    expect(await client.$eval(testId('declined'), (el) => el.textContent)).toContain('Специалист сейчас не может вас принять');
    await screenshot(client, 'rooms-declined-phone');
    await waitUntil(async () => (await specialist.$(testId('waiting-entry'))) === null, 'the waiting list to empty');
    await client.click(testId('ask-again'));
    await client.waitForSelector(`${testId('waiting-room')}[data-state="waiting"]`, { timeout: 10_000 });

    // «Впустить»: both see and hear each other.
    await specialist.waitForSelector(testId(`admit-${clientId}`), { timeout: 10_000 });
    await specialist.click(testId(`admit-${clientId}`));
    await client.waitForSelector(testId('leave-button'), { timeout: 10_000 });
    await waitUntil(async () => (await client.$(testId('waiting-room'))) === null, 'the waiting room to close');
    for (const page of [specialist, client]) await waitForMedia(page, (m) => m.videoFramesDecoded > 20 && m.audioPacketsReceived > 30);
    expect(await attr(specialist, `participant-${clientId}`, 'data-role')).toBe('client');

    // The client switches to audio-only: the specialist sees it.
    await client.click(testId('audio-only-toggle'));
    await waitUntil(
      async () => (await attr(specialist, 'remote-state', 'data-audio-only')) === 'true',
      'audio-only seen by the specialist',
    );
    await screenshot(specialist, 'rooms-o2o-specialist-sees-audio-only');
    await client.click(testId('audio-only-toggle'));
    await waitUntil(async () => (await attr(specialist, 'remote-state', 'data-audio-only')) === 'false', 'video again');

    // The chat reaches the other side and is kept with the consultation.
    await sendChat(specialist, 'Здравствуйте! Меня хорошо слышно?');
    await waitUntil(
      async () => (await chatLines(client)).some((l) => l.text.includes('Меня хорошо слышно?')),
      'the specialist’s line at the client',
    );
    await sendChat(client, 'Да, слышно хорошо.');
    await waitUntil(
      async () => (await chatLines(specialist)).some((l) => l.text.includes('Да, слышно хорошо.')),
      'the reply at the specialist',
    );
    const stored = await ctx.product.prisma.roomMessage.findMany({
      where: { consultationId: ctx.product.consultationId(name) },
      orderBy: { createdAt: 'asc' },
    });
    expect(stored.map((m) => [m.body, m.kind])).toEqual([
      ['Здравствуйте! Меня хорошо слышно?', 'message'],
      ['Да, слышно хорошо.', 'message'],
    ]);
    expect(stored[1]!.participantId).toBe(clientId);
    await screenshot(client, 'rooms-o2o-client-chat-phone');

    // A reload within the resume grace comes back in at once: no waiting room, the chat is still there.
    await client.reload({ waitUntil: 'domcontentloaded' });
    await join(client);
    await client.waitForSelector(testId('leave-button'), { timeout: 15_000 });
    expect(await client.$(testId('waiting-room'))).toBeNull();
    expect(await specialist.$(testId('waiting-entry'))).toBeNull();
    await waitForMedia(client, (m) => m.videoFramesDecoded > 20 && m.audioPacketsReceived > 30);
    await openTab(client, 'chat');
    expect((await chatLines(client)).map((l) => l.text).join(' ')).toContain('Да, слышно хорошо.');

    // The registry counts one stay for the client (a reload within the grace continues it).
    const visits = await ctx.product.prisma.roomVisit.findMany({ where: { participantId: clientId } });
    expect(visits).toHaveLength(1);

    await specialist.browserContext().close();
    await client.browserContext().close();
  }, 150_000);
});
