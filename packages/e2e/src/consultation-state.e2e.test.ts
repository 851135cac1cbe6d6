import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { applyEvent } from '@dp/signalling';
import type { ConsultationState, RoomPhase } from '@dp/protocol';
import type { Browser, Page } from 'puppeteer-core';
import { admitNext, attr, join, openParticipant, openStaff, PHONE, screenshot, waitForPeersMedia, waitUntil } from './browser.ts';
import { repoRoot } from './common.ts';
import { productAndBrowser } from './stack.ts';
import { staffOf, type TestStaff } from './staff.ts';

// One consultation's state, seen from every place that shows it (issue 16): the database
// row, the specialist's «Мои консультации», the head's list of the institution, and the
// health dashboards (the head's and the admin's). A one-to-one is walked through
// precheck → open → live → ended, and at every step all of them must say the same.
//
// The timetable's jobs are planned when a consultation is booked through the API; these are
// made in the database by the e2e stack (book + the lifecycle's test-only entry), so no job
// would fire. Where the timetable would act — the room admits clients at T (`room_opened`) —
// the test applies the same event through the same writer (`applyEvent`, no actor), as the
// job does. Everything else is done by people in real Chromium pages: the specialist enters,
// the client is admitted (`client_joined`), the specialist ends it (`ended_by_staff`).
//
// And a client let in after T+15 (the consultation already marked `no_show`) can still run
// the device and network test and enter; its arrival makes the consultation `live`.

const ctx = productAndBrowser();
const testId = (id: string) => `[data-testid="${id}"]`;
const DESKTOP = { width: 1280, height: 800 };

const ru = JSON.parse(readFileSync(resolve(repoRoot, 'apps/web/src/locales/ru.json'), 'utf8')) as {
  staff: { states: Record<ConsultationState, string> };
  health: { phases: Record<RoomPhase, string> };
};

/**
 * How the dashboard, which lists open rooms, shows a consultation's state (health-monitor.ts
 * `phaseOf`): before T → pre-check, the room open and no client → waiting, a client in →
 * live. An ended consultation has no room: it is not listed.
 */
const PHASE_OF: Partial<Record<ConsultationState, RoomPhase>> = {
  precheck: 'precheck',
  open: 'waiting',
  no_show: 'waiting',
  live: 'live',
};

async function signedInPage(browser: Browser, who: TestStaff, path: string): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport(DESKTOP);
  page.on('pageerror', (err) => console.error(`[staff] ${(err as Error).message}`));
  await page.goto(`${ctx.product.base}/sign-in`, { waitUntil: 'domcontentloaded' });
  await who.signIn(page);
  await page.goto(`${ctx.product.base}${path}`, { waitUntil: 'domcontentloaded' });
  return page;
}

/** A staff list (`/staff`), loaded afresh as a person opening it would: the row's state and its label. */
async function listed(page: Page, consultationId: string): Promise<{ state: string | null; label: string }> {
  await page.goto(`${ctx.product.base}/staff`, { waitUntil: 'domcontentloaded' });
  const row = `${testId('consultation-row')}[data-id="${consultationId}"]`;
  await page.waitForSelector(row, { timeout: 15_000 });
  return {
    state: await page.$eval(row, (el) => el.getAttribute('data-state')),
    label: await page.$eval(`${row} ${testId('consultation-state')}`, (el) => el.textContent ?? ''),
  };
}

/**
 * A dashboard's view of the room, from a snapshot taken after `since` (they come every 2 s):
 * its phase and label (null when the room is not listed) and the summary's count of live rooms.
 */
async function onDashboard(
  page: Page,
  consultationId: string,
  since: number,
): Promise<{ phase: string | null; label: string | null; live: number; rooms: number }> {
  await waitUntil(
    async () => new Date((await attr(page, 'health-updated-at', 'data-at')) ?? 0).getTime() > since,
    'a dashboard snapshot taken after the step',
    15_000,
  );
  const row = testId(`room-${consultationId}`);
  const listedRow = await page.$(row);
  return {
    phase: listedRow ? await page.$eval(row, (el) => el.getAttribute('data-phase')) : null,
    label: listedRow ? await page.$eval(`${row} [data-col="phase"]`, (el) => el.textContent ?? '') : null,
    live: Number((await attr(page, 'rooms-count', 'data-live')) ?? 0),
    rooms: Number((await attr(page, 'rooms-count', 'data-rooms')) ?? 0),
  };
}

/**
 * A consultation's history in the order of its steps: each from the state the one before led
 * to (the test-only entry takes several steps within one millisecond, so `at` may tie).
 */
function inOrder<T extends { fromState: string | null; toState: string }>(rows: T[]): T[] {
  const left = [...rows];
  const out: T[] = [];
  let state: string | null = null;
  for (;;) {
    const next = left.findIndex((r) => r.fromState === state);
    if (next < 0) return [...out, ...left];
    const [step] = left.splice(next, 1);
    out.push(step!);
    state = step!.toState;
  }
}

describe('a consultation’s state agrees everywhere', () => {
  it('precheck → open → live → ended: the database, «Мои консультации», the head’s list and both dashboards say the same at every step', async () => {
    const name = `state-${Date.now()}`;
    const { prisma } = ctx.product;
    // T is a minute away: the pre-check (T−30..T) is now; the consultation was booked and its
    // pre-check window opened (`precheck_opened`, the timetable's job at T−30).
    const start = new Date(Date.now() + 60_000);
    const seat = await ctx.product.staff(name, 'specialist', '', { start, state: 'precheck', displayName: 'Соколова Ирина Викторовна' });
    const clientLink = await ctx.product.link(name, 'client', '', { displayName: 'Петрова Анна Сергеевна' });
    const id = ctx.product.consultationId(name);
    const head = await staffOf(prisma, id, 'head', 'Орлова Татьяна Петровна');
    const admin = await staffOf(prisma, id, 'admin', 'Администратор Ресурсного центра');

    // The specialist prepares in the room (staff may enter from T−30) and keeps «Мои консультации» open beside it.
    const specialistRoom = await openStaff(ctx.browser, seat, DESKTOP);
    await join(specialistRoom);
    await specialistRoom.waitForSelector(testId('end-button'), { timeout: 15_000 });
    // Each page in a context (a window) of its own: a second tab of a window is in the background,
    // where Chromium stops drawing it (a click there never lands).
    const specialistHome = await signedInPage(ctx.browser, seat, '/staff');
    const headHome = await signedInPage(ctx.browser, head, '/staff');
    const headDashboard = await signedInPage(ctx.browser, head, '/admin/health');
    const adminDashboard = await signedInPage(ctx.browser, admin, '/admin/health');

    /** Every place, read after the step: each must show `state`. */
    const expectEverywhere = async (state: ConsultationState, step: string) => {
      const since = Date.now();
      const stored = (await prisma.consultation.findUniqueOrThrow({ where: { id }, select: { state: true } })).state;
      const own = await listed(specialistHome, id);
      const institution = await listed(headHome, id);
      const dashboards = { head: await onDashboard(headDashboard, id, since), admin: await onDashboard(adminDashboard, id, since) };
      // All at once, so that a disagreement shows every place's view.
      const phase = PHASE_OF[state] ?? null;
      expect({ step, stored, own, institution, dashboards }).toEqual({
        step,
        stored: state,
        own: { state, label: ru.staff.states[state] },
        institution: { state, label: ru.staff.states[state] },
        dashboards: Object.fromEntries(
          ['head', 'admin'].map((who) => [
            who,
            {
              phase,
              label: phase && ru.health.phases[phase],
              live: state === 'live' ? 1 : 0,
              rooms: phase ? 1 : 0,
            },
          ]),
        ),
      });
      // Where the dashboard's phase is the state itself (pre-check, live), both screens use the same word.
      if (phase === state) expect(dashboards.head.label).toBe(own.label);
    };

    // 1. The pre-check: the specialist is in the room before T.
    await expectEverywhere('precheck', 'pre-check, before T');
    await screenshot(headDashboard, 'state-precheck-dashboard');

    // 2. T has come: the room admits clients. The timetable's job at T applies `room_opened`; so does the test.
    await new Promise((r) => setTimeout(r, Math.max(0, start.getTime() - Date.now())));
    await applyEvent(prisma, id, 'room_opened', { actorId: null, at: new Date() });
    await expectEverywhere('open', 'T passed, nobody in');

    // A client in the waiting room is not in yet: still open.
    const client = await openParticipant(ctx.browser, clientLink, PHONE);
    await join(client);
    await client.waitForSelector(testId('waiting-room'), { timeout: 15_000 });
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id } })).state).toBe('open');
    await admitNext(specialistRoom);
    await client.waitForSelector(testId('leave-button'), { timeout: 15_000 });

    // 3. Admitted: the consultation takes place.
    await waitUntil(async () => (await prisma.consultation.findUniqueOrThrow({ where: { id } })).state === 'live', 'the state to be live');
    await expectEverywhere('live', 'the client admitted');
    await screenshot(adminDashboard, 'state-live-dashboard');
    await screenshot(headHome, 'state-live-institution-list');

    // 4. The specialist ends it: «Завершить консультацию», confirmed.
    await specialistRoom.click(testId('end-button'));
    await specialistRoom.waitForSelector(testId('end-confirm'), { visible: true });
    await specialistRoom.click(testId('end-confirm'));
    await client.waitForSelector(`${testId('end-screen')}[data-reason="ended"]`, { timeout: 10_000 });
    await specialistRoom.waitForFunction(() => location.pathname === '/staff', { timeout: 10_000 });
    await expectEverywhere('ended', 'ended by the specialist');
    await screenshot(specialistHome, 'state-ended-my-consultations');

    // The history the staff screens will show: each step once, in order, with who did it.
    const history = inOrder(await prisma.consultationTransition.findMany({ where: { consultationId: id } }));
    expect(history.map((h) => [h.event, h.toState, h.actorId])).toEqual([
      ['book', 'planned', null],
      ['precheck_opened', 'precheck', null],
      ['room_opened', 'open', null],
      ['client_joined', 'live', null],
      ['ended_by_staff', 'ended', seat.id],
    ]);

    for (const page of [specialistRoom, specialistHome, headHome, headDashboard, adminDashboard, client])
      await page.browserContext().close();
  }, 240_000);

  it('a client admitted after T+15 (already a no-show) runs the device and network test, enters, and the consultation becomes live', async () => {
    const name = `late-${Date.now()}`;
    const { prisma } = ctx.product;
    // T was 16 minutes ago: the pre-check window opened, the room opened at T, and at T+15
    // nobody had come (the timetable's steps, applied through the writer in this order).
    const start = new Date(Date.now() - 16 * 60_000);
    const seat = await ctx.product.staff(name, 'specialist', '', {
      start,
      state: 'no_show',
      events: ['precheck_opened', 'room_opened', 'no_show'],
      displayName: 'Соколова И. В.',
    });
    const link = await ctx.product.link(name, 'client', '', { displayName: 'Петрова Анна' });
    const id = ctx.product.consultationId(name);
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id } })).state).toBe('no_show');

    // The client: the device check, then the network test against the SFU, to its verdict.
    const client = await openParticipant(ctx.browser, link, PHONE);
    await client.waitForSelector(testId('device-check'), { timeout: 20_000 });
    const button = await client.waitForSelector(`${testId('network-test-button')}:not([disabled])`, { timeout: 20_000 });
    await button!.click();
    const verdict = await client.waitForSelector(testId('network-verdict'), { timeout: 40_000 });
    const said = await verdict!.evaluate((el) => el.getAttribute('data-verdict'));
    // A verdict that advises (not a refusal): the server measured it and kept it with the consultation.
    expect(['video', 'audio_only']).toContain(said);
    const checks = await prisma.deviceCheck.findMany({ where: { consultationId: id } });
    expect(checks.map((c) => c.verdict)).toEqual([said]);
    await screenshot(client, 'state-late-client-device-check-phone');

    // Enters the waiting room; the specialist lets it in; both see and hear each other.
    const specialist = await openStaff(ctx.browser, seat, DESKTOP);
    await join(specialist);
    await join(client);
    await client.waitForSelector(testId('waiting-room'), { timeout: 15_000 });
    const clientId = await admitNext(specialist);
    await client.waitForSelector(testId('leave-button'), { timeout: 15_000 });
    await waitForPeersMedia(specialist, [clientId]);
    await waitForPeersMedia(client, [seat.participantId]);

    // Recorded: live, by the client's arrival after the no-show mark.
    await waitUntil(async () => (await prisma.consultation.findUniqueOrThrow({ where: { id } })).state === 'live', 'the state to be live');
    const history = inOrder(await prisma.consultationTransition.findMany({ where: { consultationId: id } }));
    expect(history.map((h) => [h.event, h.fromState, h.toState])).toEqual([
      ['book', null, 'planned'],
      ['precheck_opened', 'planned', 'precheck'],
      ['room_opened', 'precheck', 'open'],
      ['no_show', 'open', 'no_show'],
      ['client_joined', 'no_show', 'live'],
    ]);
    await screenshot(client, 'state-late-client-in-room-phone');

    for (const page of [specialist, client]) await page.browserContext().close();
  }, 150_000);
});
