import { describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'puppeteer-core';
import { CSRF_HEADER } from '@dp/protocol';
import {
  admitNext,
  attr,
  chatLines,
  join,
  openParticipant,
  openTab,
  PHONE,
  screenshot,
  sendChat,
  waitForMedia,
  waitUntil,
} from './browser.ts';
import { productAndBrowser } from './stack.ts';
import { staffOf, type TestStaff } from './staff.ts';

// Staff enter rooms signed in, never by a link (issue 15, findings 1 and 2), in real Chromium
// against the real product: «Открыть комнату» on the staff home opens the staff room route,
// which joins the room's socket with the session cookie; a client's link is shown only to
// those who hand it over, and «Выдать новую ссылку» makes the old one answer «ссылка
// отозвана»; a deactivated specialist's page is taken out of the room at once.

const ctx = productAndBrowser();
const testId = (id: string) => `[data-testid="${id}"]`;
const DESKTOP = { width: 1280, height: 800 };

/** A member of staff's own browser context, signed in through the real API, on `/staff`. */
async function staffHome(browser: Browser, who: TestStaff, viewport = DESKTOP): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(viewport);
  page.on('pageerror', (err) => console.error(`[staff] ${(err as Error).message}`));
  await page.goto(`${ctx.product.base}/sign-in`, { waitUntil: 'domcontentloaded' });
  await who.signIn(page);
  await page.goto(`${ctx.product.base}/staff`, { waitUntil: 'domcontentloaded' });
  return page;
}

const waitForPath = (page: Page, path: string) => page.waitForFunction((p: string) => location.pathname === p, { timeout: 15_000 }, path);

const row = (consultationId: string) => `${testId('consultation-row')}[data-id="${consultationId}"]`;

/** The link the modal shows (its path on the pages' origin) and its generation. */
async function shownLink(page: Page): Promise<{ url: string; generation: string | null }> {
  const input = await page.waitForSelector(testId('client-link-url'), { visible: true, timeout: 10_000 });
  const [value, generation] = await input!.evaluate((el) => [(el as HTMLInputElement).value, el.getAttribute('data-generation')] as const);
  return { url: `${ctx.product.base}${new URL(value).pathname}`, generation };
}

describe('staff in rooms, signed in', () => {
  it('a specialist opens the room from «Открыть комнату» by session, talks with the client, and «Выйти» leads back to the consultations', async () => {
    const name = `staff-room-${Date.now()}`;
    const seat = await ctx.product.staff(name, 'specialist', '', { displayName: 'Соколова Ирина Викторовна' });
    const clientLink = await ctx.product.link(name, 'client', '', { displayName: 'Петрова Анна Сергеевна' });
    const consultationId = ctx.product.consultationId(name);

    // The staff home lists the consultation; «Открыть комнату» is the staff room route, not a link.
    const specialist = await staffHome(ctx.browser, seat);
    const open = await specialist.waitForSelector(`${row(consultationId)} ${testId('open-room')}`, { timeout: 15_000 });
    expect(await open!.evaluate((el) => el.getAttribute('href'))).toBe(`/staff/room/${consultationId}`);
    expect(await specialist.$(`${row(consultationId)} a[href*="/join/"]`)).toBeNull();
    await open!.click();
    await waitForPath(specialist, `/staff/room/${consultationId}`);
    // The same preview and device check as a client's, with the way back and which consultation it is.
    await specialist.waitForSelector(testId('staff-room-intro'));
    await specialist.waitForSelector(`${testId('device-camera')}[data-status="ok"]`, { timeout: 15_000 });
    await specialist.waitForSelector(testId('device-check'));
    await screenshot(specialist, 'staff-room-prejoin');
    await specialist.setViewport(PHONE);
    await screenshot(specialist, 'staff-room-prejoin-phone');
    await specialist.setViewport(DESKTOP);
    await join(specialist);
    await specialist.waitForSelector(testId('leave-button'), { timeout: 15_000 });

    // The server seated the session's own participant (the specialist's, not a link's).
    const selfRow = await specialist.waitForSelector('[data-self="true"]', { timeout: 10_000 });
    const selfId = (await selfRow!.evaluate((el) => el.getAttribute('data-testid')))!.replace('participant-', '');
    expect(selfId).toBe(seat.participantId);

    // The client comes by link, is let in, and they see, hear and write to each other.
    const client = await openParticipant(ctx.browser, clientLink, PHONE);
    await join(client);
    await client.waitForSelector(testId('waiting-room'), { timeout: 15_000 });
    await admitNext(specialist);
    for (const page of [specialist, client]) await waitForMedia(page, (m) => m.videoFramesDecoded > 20 && m.audioPacketsReceived > 30);
    expect(await client.$eval(testId('waiting-room'), () => true).catch(() => false)).toBe(false);
    await sendChat(specialist, 'Здравствуйте! Меня видно и слышно?');
    await waitUntil(async () => (await chatLines(client)).some((l) => l.text.includes('Меня видно и слышно?')), 'the line at the client');
    await sendChat(client, 'Да, всё хорошо.');
    await waitUntil(
      async () => (await chatLines(specialist)).some((l) => l.text.includes('Да, всё хорошо.')),
      'the reply at the specialist',
    );
    const stored = await ctx.product.prisma.roomMessage.findMany({ where: { consultationId }, orderBy: { createdAt: 'asc' } });
    expect(stored.map((m) => m.participantId)[0]).toBe(seat.participantId);
    await screenshot(specialist, 'staff-room-in-room');
    await specialist.setViewport(PHONE);
    await openTab(specialist, 'chat');
    await screenshot(specialist, 'staff-room-in-room-phone');
    await specialist.keyboard.press('Escape');
    await specialist.setViewport(DESKTOP);

    // «Выйти» lands on the staff home, not on the client's «Вы вышли» screen; the client sees the specialist go.
    await specialist.click(`footer ${testId('leave-button')}`);
    await waitForPath(specialist, '/staff');
    await specialist.waitForSelector(row(consultationId), { timeout: 15_000 });
    expect(await specialist.$(testId('end-screen'))).toBeNull();
    await waitUntil(async () => (await attr(client, 'peer-count', 'data-count')) === '0', 'the client sees the specialist leave');

    for (const page of [specialist, client]) await page.browserContext().close();
  }, 150_000);

  it('«Ссылка для клиента» shows the link to the head; «Выдать новую ссылку» makes the old one «ссылка отозвана» and the new one enters', async () => {
    const name = `staff-link-${Date.now()}`;
    const { prisma } = ctx.product;
    const oldLink = await ctx.product.link(name, 'client', '', { displayName: 'Петрова Анна Сергеевна' });
    const consultationId = ctx.product.consultationId(name);
    await ctx.product.staff(name, 'specialist', '', { displayName: 'Соколова Ирина Викторовна' });
    const clientId = (await prisma.participant.findFirstOrThrow({ where: { consultationId, role: 'client' } })).id;
    const head = await staffOf(prisma, consultationId, 'head', 'Орлова Татьяна Петровна');

    // The old link works before anything happens.
    const before = await openParticipant(ctx.browser, oldLink, PHONE);
    await before.waitForSelector(`${testId('join-button')}:not([disabled])`, { timeout: 15_000 });

    // The head opens «Ссылка для клиента»: the client's link, generation 1, with a copy button.
    const page = await staffHome(ctx.browser, head);
    const button = `${row(consultationId)} ${testId('client-link-open')}[data-participant-id="${clientId}"]`;
    await page.waitForSelector(button, { timeout: 15_000 });
    expect(await page.$(`${row(consultationId)} ${testId('open-room')}`)).toBeNull(); // the head takes no part in it
    await screenshot(page, 'staff-home-client-link');
    await page.setViewport(PHONE);
    await screenshot(page, 'staff-home-client-link-phone');
    await page.setViewport(DESKTOP);
    await page.click(button);
    const first = await shownLink(page);
    expect(first.generation).toBe('1');
    expect(new URL(first.url).pathname).toMatch(/^\/join\//);
    await page.waitForSelector(testId('client-link-url-copy'), { visible: true });
    expect(await page.$eval(testId('client-link-name'), (el) => el.textContent)).toBe('Петрова Анна Сергеевна');
    await new Promise((r) => setTimeout(r, 400)); // the dialog fades in
    await screenshot(page, 'staff-client-link');
    // Each showing is in the audit log (who saw which participant's link; never the token).
    const shown = await prisma.auditEvent.findMany({ where: { action: 'consultation.link_shown', targetId: clientId } });
    expect(shown.map((e) => e.actorId)).toEqual([head.id]);
    expect(JSON.stringify(shown.map((e) => e.details))).not.toContain(new URL(first.url).pathname.split('/').pop());

    // «Выдать новую ссылку» asks first, saying that the old link stops working.
    await page.click(testId('client-link-rotate'));
    await page.waitForSelector(testId('client-link-rotate-confirm'), { visible: true });
    expect(await page.$eval(testId('client-link-rotate-confirm-panel'), (el) => el.textContent)).toContain(
      'Старая ссылка сразу перестанет работать',
    );
    await screenshot(page, 'staff-client-link-confirm');
    await page.setViewport(PHONE);
    await screenshot(page, 'staff-client-link-confirm-phone');
    await page.click(testId('client-link-rotate-confirm'));
    await page.waitForSelector(testId('client-link-rotated'), { visible: true, timeout: 10_000 });
    const second = await shownLink(page);
    expect(second.generation).toBe('2');
    expect(second.url).not.toBe(first.url);
    await screenshot(page, 'staff-client-link-new-phone');
    expect((await prisma.participant.findUniqueOrThrow({ where: { id: clientId } })).linkGeneration).toBe(2);

    // The old link — the one the client had, and the one shown before — answers «ссылка отозвана».
    for (const link of [oldLink, first.url]) {
      const old = await openParticipant(ctx.browser, link, PHONE);
      await old.waitForSelector(`${testId('link-schedule')}[data-status="revoked"]`, { timeout: 10_000 });
      expect(await old.$eval('h1', (el) => el.textContent)).toBe('Ссылка отозвана');
      expect(await old.$(testId('join-button'))).toBeNull();
      await old.browserContext().close();
    }
    // The page opened on the old link before the change cannot enter either.
    await join(before);
    await before.waitForSelector(`${testId('end-screen')}[data-phase="failed"]`, { timeout: 15_000 });
    expect(await attr(before, 'end-screen', 'data-reason')).toBe('link_revoked');

    // The new link enters (the client waits for the specialist in the waiting room).
    const fresh = await openParticipant(ctx.browser, second.url, PHONE);
    await join(fresh);
    await fresh.waitForSelector(`${testId('waiting-room')}[data-state="waiting"]`, { timeout: 15_000 });

    for (const p of [page, before, fresh]) await p.browserContext().close();
  }, 120_000);

  it('a colleague who may read the consultation gets no client link, and staff get none at all', async () => {
    const name = `staff-link-refused-${Date.now()}`;
    const { prisma } = ctx.product;
    await ctx.product.link(name, 'client', '', { displayName: 'Петрова Анна Сергеевна' });
    const consultationId = ctx.product.consultationId(name);
    const seat = await ctx.product.staff(name, 'specialist', '', { displayName: 'Соколова Ирина Викторовна' });
    const clientId = (await prisma.participant.findFirstOrThrow({ where: { consultationId, role: 'client' } })).id;
    // A social worker of the institution (reads its consultations, did not book this one, is responsible for no request of it).
    const colleague = await staffOf(prisma, consultationId, 'social_worker', 'Кузнецова Мария Ивановна');
    const page = await staffHome(ctx.browser, colleague);
    // The consultation is listed, without «Ссылка для клиента» (the server says who hands links over).
    await page.waitForSelector(row(consultationId), { timeout: 15_000 });
    expect(await page.$(`${row(consultationId)} ${testId('client-link-open')}`)).toBeNull();
    // Asked directly, the API refuses the colleague, and has no link for the staff seat at all.
    const status = (participantId: string) =>
      page.evaluate(async (path) => (await fetch(path)).status, `/api/consultations/${consultationId}/participants/${participantId}/link`);
    expect(await status(clientId)).toBe(403);
    await page.browserContext().close();

    const head = await staffHome(ctx.browser, await staffOf(prisma, consultationId, 'head', 'Орлова Татьяна Петровна'));
    expect(
      await head.evaluate(
        async (path) => (await fetch(path)).status,
        `/api/consultations/${consultationId}/participants/${seat.participantId}/link`,
      ),
    ).toBe(404);
    // No consultation response carries a link.
    const body = await head.evaluate(async (path) => (await fetch(path)).text(), `/api/consultations/${consultationId}`);
    expect(body).not.toContain('/join/');
    await head.browserContext().close();
  }, 90_000);

  it('a deactivated specialist’s page is taken out of the room at once and cannot come back', async () => {
    const name = `staff-deactivated-${Date.now()}`;
    const { prisma } = ctx.product;
    const seat = await ctx.product.staff(name, 'specialist', '', { displayName: 'Соколова Ирина Викторовна' });
    const clientLink = await ctx.product.link(name, 'client', '', { displayName: 'Петрова Анна Сергеевна' });
    const consultationId = ctx.product.consultationId(name);
    const specialist = await staffHome(ctx.browser, seat);
    await specialist.goto(`${ctx.product.base}/staff/room/${consultationId}`, { waitUntil: 'domcontentloaded' });
    await join(specialist);
    await specialist.waitForSelector(testId('leave-button'), { timeout: 15_000 });
    const client = await openParticipant(ctx.browser, clientLink, PHONE);
    await join(client);
    await admitNext(specialist);
    await waitForMedia(client, (m) => m.videoFramesDecoded > 10 && m.audioPacketsReceived > 20);
    const roomState = () => ctx.product.sfu.request('roomState', { roomId: consultationId });
    expect((await roomState()).transports).toBe(4);

    // An admin deactivates the account through the real API (session, CSRF token).
    const admin = await staffOf(prisma, consultationId, 'admin', 'Администратор Ресурсного центра');
    const cookie = await admin.sessionCookie(ctx.product.url);
    const session = (await (await fetch(`${ctx.product.url}/api/auth/session`, { headers: { cookie } })).json()) as { csrfToken: string };
    const deactivatedAt = Date.now();
    const res = await fetch(`${ctx.product.url}/api/staff/${seat.id}`, {
      method: 'PATCH',
      headers: { cookie, 'Content-Type': 'application/json', [CSRF_HEADER]: session.csrfToken },
      body: JSON.stringify({ active: false }),
    });
    expect(res.status).toBe(200);

    // The specialist's page is out at once, and says why in staff words (not «Ведущий удалил вас»).
    await specialist.waitForSelector(`${testId('end-screen')}[data-phase="closed"]`, { timeout: 5_000 });
    expect(Date.now() - deactivatedAt).toBeLessThan(5_000);
    expect(await specialist.$eval('h1', (el) => el.textContent)).toBe('Доступ к комнате закрыт');
    await screenshot(specialist, 'staff-room-taken-out');
    // The client sees the specialist gone, and the SFU holds only the client's transports.
    await waitUntil(async () => (await attr(client, 'peer-count', 'data-count')) === '0', 'the client sees the specialist gone');
    await waitUntil(async () => (await roomState()).transports === 2, 'the specialist’s transports closed on the SFU');

    // Coming back is refused: the session ended with the account.
    await specialist.goto(`${ctx.product.base}/staff/room/${consultationId}`, { waitUntil: 'domcontentloaded' });
    await waitForPath(specialist, '/sign-in');

    for (const p of [specialist, client]) await p.browserContext().close();
  }, 120_000);
});
