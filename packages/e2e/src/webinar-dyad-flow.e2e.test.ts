import { describe, expect, it } from '@jest/globals';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { hashPassword } from '../../../apps/signalling/src/auth/passwords.ts';
import { admitNext, join, openParticipant, PHONE, screenshot, SMALL, waitForMedia, waitForPeersMedia, waitUntil } from './browser.ts';
import { productWithMail } from './stack.ts';

// Issue 17's webinar and dyad, in real browsers and on screen only: the test makes no REST
// call itself — it only moves the harness clock (POST /__test/clock, DP_TEST_CLOCK=1) instead
// of waiting for the planned time. The institution, the staff accounts, the approved months
// and the two registry families exist (made in the database, as an admin and the social
// worker would have made them), then:
// 1. a specialist creates a webinar on screen with three participants from a pasted e-mail
//    list → three invitations reach a real SMTP server → each opens its own link → at T each
//    enters, the host sees all three and each receives the host's sound and picture;
// 2. the head forms a dyad on screen from the two registry families (with their motivation
//    levels and its curator), the curator plans its consultation on screen → both families open the link from their invitation →
//    at T the curator lets them in → they hear and see each other and are told the curator is there.

const ctx = productWithMail({ DP_TEST_CLOCK: '1' });

const DESKTOP = { width: 1280, height: 800 };
const PASSWORD = 'тёплый вечер у реки';
const MIN = 60_000;
const ZONE = 'Asia/Omsk';
const sel = (id: string) => `[data-testid="${id}"]`;
const ATTENDEES = [
  { name: 'Петрова Анна', email: 'petrova.anna@example.org' },
  { name: 'Смирнов Олег', email: 'smirnov.oleg@example.org' },
  { name: 'Васильева Елена', email: 'vasilyeva.elena@example.org' },
];
const FAMILIES = [
  { name: 'Иванова Ольга Петровна', email: 'ivanova.family@example.org' },
  { name: 'Кузнецова Мария Ильинична', email: 'kuznetsova.family@example.org' },
];

interface Account {
  id: string;
  email: string;
  displayName: string;
}

/** 'YYYY-MM-DD' and 'HH:mm' of an instant in the institution's zone. */
function local(at: number): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

const nextMonth = (month: string) => {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 7);
};

/** The institution, its people, their approved months and two registry families (not the flow under test). */
async function setUp(): Promise<{ head: Account; host: Account; curator: Account; clientIds: string[] }> {
  const { prisma } = ctx.product;
  const institution = await prisma.institution.create({
    data: {
      department: { create: { name: 'Департамент (e2e)' } },
      name: 'Центр «Семья» (e2e)',
      phone: '+7 (3812) 11-22-33',
      timeZone: ZONE,
      // Every day, all day: a test runs at any hour.
      week: Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, { start: '00:00', end: '23:59' }])),
    },
  });
  const passwordHash = await hashPassword(PASSWORD);
  const thisMonth = local(Date.now()).date.slice(0, 7);
  const months = [thisMonth, nextMonth(thisMonth)];
  const account = async (role: 'head' | 'specialist', displayName: string) => {
    const email = `${role}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.org`;
    const user = await prisma.staffUser.create({
      data: {
        email,
        displayName,
        role,
        institutionId: institution.id,
        departmentId: institution.departmentId,
        passwordHash,
        passwordChangedAt: new Date(),
        ...(role === 'specialist' ? { specialistProfile: { create: { profession: 'psychologist', title: 'Педагог-психолог' } } } : {}),
      },
    });
    return { id: user.id, email, displayName };
  };
  const specialist = async (displayName: string): Promise<Account> => {
    const user = await account('specialist', displayName);
    for (const month of months) {
      const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
      await prisma.specialistMonthSchedule.create({
        data: {
          specialistId: user.id,
          month,
          status: 'approved',
          approvedAt: new Date(),
          blocks: {
            create: Array.from({ length: days }, (_, i) => ({
              date: `${month}-${String(i + 1).padStart(2, '0')}`,
              start: '00:00',
              end: '23:59',
            })),
          },
        },
      });
    }
    return user;
  };
  const head = await account('head', 'Белова Наталья Сергеевна');
  const host = await specialist('Соколова Ирина Викторовна');
  const curator = await specialist('Орлова Татьяна Петровна');
  const clientIds: string[] = [];
  for (const f of FAMILIES) {
    const c = await prisma.client.create({
      data: {
        institutionId: institution.id,
        representativeName: f.name,
        email: f.email,
        consentMethod: 'written',
        consentAt: new Date(),
        consentRecordedById: head.id,
      },
    });
    clientIds.push(c.id);
  }
  return { head, host, curator, clientIds };
}

/** A window of its own, signed in through the sign-in page, then at `path`. */
async function signedIn(browser: Browser, who: Account, path: string, viewport = DESKTOP): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport(viewport);
  page.on('pageerror', (err) => console.error(`[page ${who.displayName}] ${(err as Error).message}`));
  await page.goto(`${ctx.product.base}/sign-in`, { waitUntil: 'domcontentloaded' });
  await typeInto(page, 'signin-email', who.email);
  await typeInto(page, 'signin-password', PASSWORD);
  await page.click(sel('signin-submit'));
  await page.waitForFunction(() => location.pathname !== '/sign-in', { timeout: 15_000 });
  await page.goto(`${ctx.product.base}${path}`, { waitUntil: 'domcontentloaded' });
  return page;
}

/** Types into an input (clearing it first), as a person would; `selector` may scope it. */
async function typeInto(page: Page, testId: string, text: string, scope = ''): Promise<void> {
  const input = await page.waitForSelector(
    [`input${sel(testId)}`, `textarea${sel(testId)}`, `${sel(testId)} input`].map((s) => `${scope} ${s}`.trim()).join(', '),
    { visible: true, timeout: 15_000 },
  );
  await input!.click({ count: 3 });
  await page.keyboard.press('Backspace');
  await input!.type(text);
}

/** A native time input (`TimeInput`): its value set the way the browser's own picker sets it. */
async function setTime(page: Page, testId: string, value: string): Promise<void> {
  await page.waitForSelector(sel(testId), { visible: true });
  await page.$eval(
    `input${sel(testId)}, ${sel(testId)} input`,
    (el, v) => {
      const input = el as HTMLInputElement;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    value,
  );
}

/** A (multiple) DatePickerInput: opened, the month of `date` shown, its day pressed, closed by pressing `closeOn`. */
async function pickDate(page: Page, testId: string, date: string, closeOn: string): Promise<void> {
  await page.click(sel(testId));
  const shownMonth = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  });
  if (date.slice(0, 7) !== shownMonth) {
    await (await page.waitForSelector('button[data-direction="next"]', { visible: true }))!.click();
  }
  const day = String(Number(date.slice(8, 10)));
  const button = await page.waitForFunction(
    (d) =>
      [...document.querySelectorAll<HTMLButtonElement>('button[class*="-day"]:not([data-outside])')].find(
        (b) => b.textContent?.trim() === d && b.getBoundingClientRect().height > 0,
      ) ?? null,
    { timeout: 10_000 },
    day,
  );
  await (button.asElement() as ElementHandle<HTMLButtonElement>).click();
  await page.click(closeOn);
  await page.waitForSelector('button[class*="-day"]', { hidden: true, timeout: 5_000 });
}

/** A Mantine Select: opened, then the (visible) option with this text chosen. */
async function choose(page: Page, testId: string, optionText: string): Promise<void> {
  await page.click(`input${sel(testId)}, ${sel(testId)}`);
  const option = await page.waitForFunction(
    (text) =>
      [...document.querySelectorAll<HTMLElement>('[role="option"]')].find(
        (o) => o.textContent?.includes(text) && o.getBoundingClientRect().height > 0,
      ) ?? null,
    { timeout: 10_000 },
    optionText,
  );
  await (option.asElement() as ElementHandle<HTMLElement>).evaluate((o) => {
    o.scrollIntoView({ block: 'nearest' });
    o.click();
  });
}

/** The harness clock (the only call the test makes to the server): moves business time by `ms`; answers the server's time. */
async function moveClock(ms: number): Promise<number> {
  const res = await fetch(`${ctx.product.url}/__test/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMs: Math.max(0, Math.round(ms)) }),
  });
  if (!res.ok) throw new Error(`the harness clock answered ${res.status}`);
  return Date.parse(((await res.json()) as { now: string }).now);
}

/** The link from the invitation that reached `email` (waits for it). */
async function invitationLink(email: string): Promise<string> {
  await waitUntil(async () => ctx.smtp.mails.some((m) => JSON.stringify(m.to).includes(email)), `the invitation to ${email}`, 30_000);
  const mail = ctx.smtp.mails.find((m) => JSON.stringify(m.to).includes(email))!;
  const link = /https?:\/\/\S+\/join\/[A-Za-z0-9_.-]+/.exec(mail.text ?? '')?.[0];
  if (!link) throw new Error(`no link in the invitation to ${email}`);
  return link.replace('127.0.0.1', 'localhost');
}

/** The staff member's room, opened from «Мои консультации». */
async function openRoom(page: Page, consultationId: string): Promise<void> {
  await page.goto(`${ctx.product.base}/staff`, { waitUntil: 'domcontentloaded' });
  const row = `${sel('consultation-row')}[data-id="${consultationId}"]`;
  await (await page.waitForSelector(`${row} ${sel('open-room')}`, { timeout: 15_000 }))!.click();
  await join(page);
}

describe('a webinar and a dyad, held', () => {
  it('webinar on screen → 3 e-mailed links → the host sees them, they receive the host; dyad formed and planned on screen → admitted → the families see and hear each other', async () => {
    const { browser, product } = ctx;
    const { prisma } = product;
    const { head, host, curator, clientIds } = await setUp();

    // T: the next 5 minutes at least 40 minutes ahead (the timetable refuses less than 30),
    // on the next day at 10:00 when that is too late in the evening for a 45-minute meeting.
    const serverNow = await moveClock(0);
    let start = Math.ceil((serverNow + 40 * MIN) / (5 * MIN)) * 5 * MIN;
    if (local(start).time > '23:00') {
      const [h, m] = local(start).time.split(':').map(Number) as [number, number];
      start += (24 * 60 - (h * 60 + m) + 10 * 60) * MIN;
    }
    const when = local(start);

    // 1. The specialist: «Новый вебинар» with three participants pasted as an e-mail list.
    const hostPage = await signedIn(browser, host, '/webinars');
    await (await hostPage.waitForSelector(`${sel('webinar-new')}:not([disabled])`, { timeout: 15_000 }))!.click();
    await typeInto(hostPage, 'webinar-topic', 'Как говорить с подростком');
    await pickDate(hostPage, 'webinar-date', when.date, sel('webinar-topic'));
    await setTime(hostPage, 'webinar-time', when.time);
    await typeInto(hostPage, 'webinar-emails', ATTENDEES.map((a) => `${a.name} <${a.email}>`).join('\n'));
    await hostPage.waitForFunction((s) => /3/.test(document.querySelector(s)?.textContent ?? ''), {}, sel('webinar-count'));
    await screenshot(hostPage, 'webinar-flow-1-form');
    await hostPage.click(sel('webinar-save'));
    await hostPage.waitForSelector(sel('webinar-row'), { timeout: 15_000 });
    await screenshot(hostPage, 'webinar-flow-1-list');
    const webinar = await prisma.consultation.findFirstOrThrow({
      where: { kind: 'webinar', specialists: { some: { specialistId: host.id } } },
      include: { participants: true },
    });
    expect(webinar.start.getTime()).toBe(start);
    expect(webinar.participants.filter((p) => p.staffUserId === null).map((p) => p.email)).toEqual(ATTENDEES.map((a) => a.email));

    // Each of the three opens the link from its own e-mail: the page counts down to T.
    const attendees: Page[] = [];
    for (const a of ATTENDEES) {
      const page = await openParticipant(browser, await invitationLink(a.email), SMALL);
      await page.waitForSelector(`${sel('link-schedule')}[data-status="upcoming"]`, { timeout: 15_000 });
      attendees.push(page);
    }
    await screenshot(attendees[0]!, 'webinar-flow-1-attendee-countdown');

    // 2. The head: a dyad of the two registry families, each with its motivation level, and its
    // curator (a specialist sees only the families of its own requests and consultations, so the
    // registry's families are paired by the head) …
    const headPage = await signedIn(browser, head, '/dyads');
    await (await headPage.waitForSelector(sel('dyad-new'), { timeout: 15_000 }))!.click();
    for (const [i, family] of FAMILIES.entries()) {
      const scope = sel(`dyad-client-${i + 1}`);
      await typeInto(headPage, 'client-picker-search', family.name.split(' ')[0]!, scope);
      await (await headPage.waitForSelector(`${sel('client-picker-option')}[data-id="${clientIds[i]}"]`, { timeout: 10_000 }))!.click();
      await headPage.waitForSelector(`${scope} ${sel('client-picker-chosen')}`, { timeout: 10_000 });
    }
    // The first family's motivation low, the second's high (each control offers «Высокий», «Низкий»).
    const level = (n: number, index: number) =>
      headPage.$eval(`${sel(`dyad-motivation-${n}`)}`, (el, k) => el.querySelectorAll('label')[k]!.click(), index);
    await level(1, 1);
    await level(2, 0);
    await choose(headPage, 'dyad-curator', curator.displayName);
    await screenshot(headPage, 'dyad-flow-2-form');
    await headPage.click(sel('dyad-save'));
    await headPage.waitForSelector(sel('dyad-row'), { timeout: 15_000 });
    const dyad = await prisma.dyad.findFirstOrThrow({ where: { curatorId: curator.id } });
    expect([dyad.client1Id, dyad.client1Motivation, dyad.client2Id, dyad.client2Motivation]).toEqual([
      clientIds[0],
      'low',
      clientIds[1],
      'high',
    ]);
    await headPage.browserContext().close();

    // … and the curator plans its consultation at T.
    const curatorPage = await signedIn(browser, curator, '/dyads');
    await (await curatorPage.waitForSelector(`${sel('dyad-row')}[data-id="${dyad.id}"] ${sel('dyad-plan')}:not([disabled])`, {
      timeout: 15_000,
    }))!.click();
    await pickDate(curatorPage, 'dyad-plan-dates', when.date, '.mantine-Modal-title');
    await setTime(curatorPage, 'dyad-plan-time', when.time);
    await curatorPage.click(sel('dyad-plan-save'));
    await curatorPage.waitForSelector(sel('dyad-history'), { timeout: 15_000 });
    await curatorPage.waitForFunction(() => document.body.innerText.includes('Консультация диады запланирована'), { timeout: 10_000 });
    await screenshot(curatorPage, 'dyad-flow-2-planned');
    const meeting = await prisma.consultation.findFirstOrThrow({ where: { dyadId: dyad.id } });
    expect(meeting.start.getTime()).toBe(start);

    // Both families open the link from their invitations (one on a phone).
    const families: Page[] = [];
    for (const [i, f] of FAMILIES.entries()) {
      const page = await openParticipant(browser, await invitationLink(f.email), i === 1 ? PHONE : SMALL);
      await page.waitForSelector(`${sel('link-schedule')}[data-status="upcoming"]`, { timeout: 15_000 });
      families.push(page);
    }

    // The harness clock: T. Both rooms open by the timetable.
    await moveClock(start + 1_000 - (await moveClock(0)));
    await waitUntil(
      async () =>
        (await prisma.consultation.findMany({ where: { id: { in: [webinar.id, meeting.id] } } })).every((c) => c.state === 'open'),
      'both rooms open at T',
      20_000,
    );

    // The webinar: the host enters from «Мои консультации», the three enter from their pages.
    await openRoom(hostPage, webinar.id);
    await hostPage.waitForSelector(sel('leave-button'), { timeout: 30_000 });
    for (const page of attendees) {
      await page.waitForSelector(`${sel('join-button')}:not([disabled])`, { timeout: 30_000 });
      await join(page);
    }
    await waitUntil(
      async () => (await hostPage.$$(`[data-testid^="participant-"][data-role="attendee"]`)).length === 3,
      'the three attendees at the host',
      30_000,
    );
    const listed = await hostPage.$$eval(`[data-testid^="participant-"][data-role="attendee"]`, (els) =>
      els.map((e) => e.textContent ?? ''),
    );
    for (const a of ATTENDEES) expect(listed.some((text) => text.includes(a.name))).toBe(true);
    for (const page of attendees) await waitForMedia(page, (m) => m.audioPacketsReceived > 20 && m.videoFramesDecoded > 5, 30_000);
    await screenshot(hostPage, 'webinar-flow-1-host');
    await screenshot(attendees[1]!, 'webinar-flow-1-attendee');
    for (const page of [hostPage, ...attendees]) await page.browserContext().close();

    // The dyad: the curator enters, both families wait, the curator lets them in.
    await openRoom(curatorPage, meeting.id);
    await curatorPage.waitForSelector(sel('curator-self-state'), { timeout: 30_000 });
    for (const page of families) {
      await page.waitForSelector(`${sel('join-button')}:not([disabled])`, { timeout: 30_000 });
      await join(page);
      await page.waitForSelector(sel('waiting-room'), { timeout: 15_000 });
    }
    await waitUntil(async () => (await curatorPage.$$(sel('waiting-entry'))).length === 2, 'both families waiting', 15_000);
    const waiting = new Map(
      await curatorPage.$$eval(sel('waiting-entry'), (els) =>
        els.map((el) => [el.querySelector('strong')?.textContent ?? '', el.getAttribute('data-peer-id') ?? ''] as const),
      ),
    );
    const ids = FAMILIES.map((f) => waiting.get(f.name)!);
    expect(ids.every(Boolean)).toBe(true);
    await admitNext(curatorPage);
    await waitUntil(async () => (await curatorPage.$$(sel('waiting-entry'))).length === 1, 'the second family waiting');
    await admitNext(curatorPage);

    // Each family sees and hears the other and is told the curator is there; the curator receives both.
    for (const [i, page] of families.entries()) {
      await page.waitForSelector(sel('curator-indicator'), { timeout: 15_000 });
      expect(await page.$eval(sel('curator-indicator'), (el) => el.textContent)).toContain('Куратор');
      await waitForPeersMedia(page, [ids[1 - i]!], { timeoutMs: 30_000 });
    }
    await waitForPeersMedia(curatorPage, ids, { timeoutMs: 30_000 });
    await screenshot(families[0]!, 'dyad-flow-2-family');
    await screenshot(families[1]!, 'dyad-flow-2-family-phone');
    await screenshot(curatorPage, 'dyad-flow-2-curator');
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id: meeting.id } })).state).toBe('live');

    for (const page of [curatorPage, ...families]) await page.browserContext().close();
  }, 180_000);
});
