import { describe, expect, it } from '@jest/globals';
import type { KeyInput, Page } from 'puppeteer-core';
import { checkA11y, type A11yViolation } from './a11y.ts';
import { admitNext, join, openParticipant, openStaff, openTab, PHONE, screenshot, waitUntil } from './browser.ts';
import { productAndBrowser } from './stack.ts';

// WCAG 2.1 AA on every screen a client sees, in the real product: axe-core's A/AA rules
// at a laptop's and a phone's size (no serious or critical violations), the keyboard alone
// from the preview into the room, a visible focus, and big enough targets on a phone.

const ctx = productAndBrowser();
const testId = (id: string) => `[data-testid="${id}"]`;
const DESKTOP = { width: 1280, height: 800 };
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

/** The serious and critical violations of one screen at both sizes, keyed `<screen>@<size>`. */
type Findings = Record<string, A11yViolation[]>;

/**
 * Checks the page as it is at 1280×800 and at 360×640 (a phone), and takes a screenshot of
 * each. `atPhone` runs after the switch to the phone's size (e.g. to open the chat drawer).
 */
async function checkBothSizes(page: Page, name: string, findings: Findings, atPhone?: () => Promise<void>): Promise<void> {
  await page.setViewport(DESKTOP);
  await settle();
  findings[`${name}@desktop`] = await checkA11y(page, `${name}-desktop`);
  await screenshot(page, `a11y-${name}-desktop`);
  await page.setViewport(PHONE);
  await settle();
  if (atPhone) await atPhone();
  findings[`${name}@phone`] = await checkA11y(page, `${name}-phone`);
  await screenshot(page, `a11y-${name}-phone`);
}

/** Every finding must be an empty list; the diff names the screen, the rule and the elements. */
function expectNoViolations(findings: Findings): void {
  const empty = Object.fromEntries(Object.keys(findings).map((k) => [k, []]));
  expect(findings).toEqual(empty);
}

/** What has the keyboard focus: its test id (or tag and text) and whether the focus is drawn. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { id: null, visible: false };
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow !== 'none' && s.boxShadow !== '';
    return {
      id: el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim().slice(0, 30)}`,
      visible: outline || shadow,
    };
  });

async function press(page: Page, key: KeyInput): Promise<void> {
  await page.keyboard.press(key);
  await settle(60);
}

/**
 * Visible interactive elements under `scope` smaller than 44×44 CSS px. A form control counts
 * with its labels (pressing the label works the control: a checkbox, a segmented control).
 */
const smallTargets = (page: Page, scope: string) =>
  page.$$eval(`${scope} :is(button, a[href], input, select, textarea, [role="button"], [tabindex]:not([tabindex="-1"]))`, (els) =>
    els
      .map((el) => {
        const rects = [el, ...((el as HTMLInputElement).labels ?? [])]
          .map((e) => e.getBoundingClientRect())
          .filter((r) => r.width > 0 && r.height > 0);
        const left = Math.min(...rects.map((r) => r.left));
        const top = Math.min(...rects.map((r) => r.top));
        const width = Math.round(Math.max(...rects.map((r) => r.right)) - left);
        const height = Math.round(Math.max(...rects.map((r) => r.bottom)) - top);
        const name = el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 30);
        return { name: name || el.outerHTML.slice(0, 60), width, height, shown: rects.length > 0 };
      })
      .filter((t) => t.shown && (t.width < 44 || t.height < 44))
      .map(({ name, width, height }) => ({ name, width, height })),
  );

describe('accessibility of what a client sees (WCAG 2.1 AA)', () => {
  it('the link page: before the start, after the end, cancelled, and with an invalid link', async () => {
    const findings: Findings = {};
    const base = ctx.product.url.replace('127.0.0.1', 'localhost');
    const screens: [string, string][] = [
      [
        'link-countdown',
        await ctx.product.link('a11y-soon', 'client', '', { start: new Date(Date.now() + 3 * 3600_000), state: 'planned' }),
      ],
      ['link-over', await ctx.product.link('a11y-over', 'client', '', { start: new Date(Date.now() - 3 * 3600_000) })],
      [
        'link-cancelled',
        await ctx.product.link('a11y-cancelled', 'client', '', { start: new Date(Date.now() + 3600_000), state: 'cancelled' }),
      ],
      ['link-invalid', `${base}/join/not-a-token`],
    ];
    for (const [name, link] of screens) {
      const page = await openParticipant(ctx.browser, link);
      await page.waitForSelector(testId('link-schedule'), { timeout: 10_000 });
      await checkBothSizes(page, name, findings);
      await page.browserContext().close();
    }
    expectNoViolations(findings);
  }, 90_000);

  it('one-to-one: the preview (by keyboard), the waiting room (also declined), the room with the chat open, and the end screen', async () => {
    const findings: Findings = {};
    const name = `a11y-o2o-${Date.now()}`;
    const clientLink = await ctx.product.link(name, 'client', '', { displayName: 'Петрова Анна Сергеевна' });
    const specialistSeat = await ctx.product.staff(name, 'specialist', '', { displayName: 'Соколова Ирина Викторовна' });

    // The preview before «Войти».
    const client = await openParticipant(ctx.browser, clientLink);
    await client.waitForSelector(`${testId('join-button')}:not([disabled])`, { timeout: 15_000 });
    await client.waitForSelector(`${testId('device-camera')}[data-status="ok"]`, { timeout: 15_000 });
    await checkBothSizes(client, 'preview', findings);

    // The keyboard alone: Tab to «Войти» (a visible focus on the way), Enter, the waiting room.
    await client.setViewport(DESKTOP);
    await client.reload({ waitUntil: 'domcontentloaded' });
    await client.waitForSelector(`${testId('join-button')}:not([disabled])`, { timeout: 15_000 });
    // At most TAB_BUDGET presses; the loop may go well past it, so that a page needing more fails here.
    const TAB_BUDGET = 25;
    let presses = 0;
    let focus = await focused(client);
    while (focus.id !== 'join-button' && presses < 4 * TAB_BUDGET) {
      await press(client, 'Tab');
      presses++;
      focus = await focused(client);
    }
    expect(focus.id).toBe('join-button');
    expect(presses).toBeLessThanOrEqual(TAB_BUDGET);
    console.log(`a11y: «Войти» reached with ${presses} Tab presses`);
    expect(focus.visible).toBe(true);
    await screenshot(client, 'a11y-preview-join-focused');
    await press(client, 'Enter');
    await client.waitForSelector(`${testId('waiting-room')}[data-state="waiting"]`, { timeout: 15_000 });

    // The waiting room (nobody has let the client in yet); big targets on a phone.
    await checkBothSizes(client, 'waiting-room', findings);
    expect(await smallTargets(client, testId('waiting-room'))).toEqual([]);
    expect(await smallTargets(client, 'header')).toEqual([]);

    // The specialist says «не сейчас» first: the client reads why and can ask again.
    const specialist = await openStaff(ctx.browser, specialistSeat);
    await join(specialist);
    // Status changes are captions in the page's one polite live region.
    expect(await client.$eval(testId('status'), (el) => [el.getAttribute('role'), el.getAttribute('aria-live')])).toEqual([
      'status',
      'polite',
    ]);
    await waitUntil(
      async () => ((await client.$eval(testId('status'), (el) => el.textContent)) ?? '').includes('на связи'),
      '«… на связи» announced to the waiting client',
    );
    const entry = await specialist.waitForSelector(testId('waiting-entry'), { timeout: 15_000 });
    const clientId = (await entry!.evaluate((el) => el.getAttribute('data-peer-id')))!;
    await specialist.click(testId(`decline-${clientId}`));
    await client.waitForSelector(testId('declined'), { timeout: 10_000 });
    await checkBothSizes(client, 'waiting-room-declined', findings);
    expect(await smallTargets(client, testId('waiting-room'))).toEqual([]);
    await client.click(testId('ask-again'));
    await client.waitForSelector(`${testId('waiting-room')}[data-state="waiting"]`, { timeout: 10_000 });

    // The specialist lets the client in.
    await admitNext(specialist);
    await client.waitForSelector(`footer ${testId('leave-button')}`, { timeout: 15_000 });
    await waitUntil(async () => (await client.$(testId('waiting-room'))) === null, 'the waiting room to close');

    // In the room, Tab reaches every control the client needs, each with a visible focus.
    await client.setViewport(DESKTOP);
    await settle(800); // the side panel mounts when the page is idle
    await client.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const wanted = ['mic-toggle', 'camera-toggle', 'audio-only-toggle', 'leave-button'];
    const reached = new Map<string, boolean>();
    for (let i = 0; i < 60 && !wanted.every((w) => reached.has(w)); i++) {
      await press(client, 'Tab');
      const f = await focused(client);
      if (f.id && wanted.includes(f.id)) reached.set(f.id, f.visible);
    }
    expect(Object.fromEntries(reached)).toEqual(Object.fromEntries(wanted.map((w) => [w, true])));
    // … and works them: Space switches the microphone off and on again.
    await client.focus(testId('mic-toggle'));
    await press(client, 'Space');
    await waitUntil(async () => (await client.$eval(testId('mic-toggle'), (el) => el.getAttribute('aria-pressed'))) === 'false', 'mic off');
    await press(client, 'Space');
    await waitUntil(async () => (await client.$eval(testId('mic-toggle'), (el) => el.getAttribute('aria-pressed'))) === 'true', 'mic on');

    await checkBothSizes(client, 'room-one-to-one', findings);
    // On a phone: the controls are big enough, and the chat drawer passes too.
    expect(await smallTargets(client, 'footer [role="toolbar"]')).toEqual([]);
    await openTab(client, 'chat');
    await client.waitForSelector(testId('chat-input'), { visible: true });
    findings['room-one-to-one-chat@phone'] = await checkA11y(client, 'room-one-to-one-chat-phone');
    expect(await smallTargets(client, '[role="dialog"]')).toEqual([]);
    await screenshot(client, 'a11y-room-one-to-one-chat-phone');
    await press(client, 'Escape');
    await waitUntil(
      async () => (await client.$eval(testId('panel-toggle'), (el) => el.getAttribute('aria-expanded'))) === 'false',
      'Escape closes the drawer',
    );
    await settle();

    // «Выйти» → the end screen.
    await client.click(`footer ${testId('leave-button')}`);
    await client.waitForSelector(testId('end-screen'), { timeout: 10_000 });
    await checkBothSizes(client, 'end-screen', findings);

    expectNoViolations(findings);
    for (const page of [specialist, client]) await page.browserContext().close();
  }, 150_000);

  it("a webinar attendee's room", async () => {
    const findings: Findings = {};
    const name = `a11y-webinar-${Date.now()}`;
    const opts = (displayName: string) => ({ kind: 'webinar' as const, displayName });
    const host = await openStaff(ctx.browser, await ctx.product.staff(name, 'host', '', opts('Соколова Ирина Викторовна')));
    await join(host);
    await host.waitForSelector(testId('leave-button'), { timeout: 15_000 });
    const attendee = await openParticipant(ctx.browser, await ctx.product.link(name, 'attendee', '', opts('Петрова Анна')));
    await join(attendee);
    await attendee.waitForSelector(`footer ${testId('raise-hand')}`, { timeout: 15_000 });
    await settle(800);
    await checkBothSizes(attendee, 'room-webinar-attendee', findings, async () => {
      await openTab(attendee, 'chat');
      await attendee.waitForSelector(testId('chat-input'), { visible: true });
    });
    expect(await smallTargets(attendee, 'footer [role="toolbar"]')).toEqual([]);
    expect(await smallTargets(attendee, '[role="dialog"]')).toEqual([]);
    expectNoViolations(findings);
    for (const page of [host, attendee]) await page.browserContext().close();
  }, 90_000);

  it("a dyad client's waiting room and room, with the curator shown", async () => {
    const findings: Findings = {};
    const name = `a11y-dyad-${Date.now()}`;
    const opts = (displayName: string) => ({ kind: 'dyad' as const, displayName });
    const curator = await openStaff(ctx.browser, await ctx.product.staff(name, 'curator', '', opts('Орлова Татьяна Петровна')));
    await join(curator);
    await curator.waitForSelector(testId('curator-self-state'), { timeout: 15_000 });
    const anna = await openParticipant(ctx.browser, await ctx.product.link(name, 'client', '', opts('Анна')));
    await join(anna);
    await anna.waitForSelector(testId('waiting-room'), { timeout: 15_000 });
    await checkBothSizes(anna, 'waiting-room-dyad', findings);
    await admitNext(curator);
    await anna.waitForSelector(testId('curator-indicator'), { timeout: 15_000 });
    await settle(800);
    await checkBothSizes(anna, 'room-dyad-client', findings);
    expect(await smallTargets(anna, 'footer [role="toolbar"]')).toEqual([]);
    expectNoViolations(findings);
    for (const page of [curator, anna]) await page.browserContext().close();
  }, 90_000);
});
