import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'puppeteer-core';
import { generateSync } from 'otplib';
import { hashPassword } from '../../../apps/signalling/src/auth/passwords.ts';
import { newTotpSecret } from '../../../apps/signalling/src/auth/totp.ts';
import { admitNext, join, openParticipant, openStaff, PHONE, screenshot, waitForMedia, waitUntil } from './browser.ts';
import type { StaffSeat } from './common.ts';
import { productWithMail, type BeforeStart } from './stack.ts';

// Issue 18's journey from a consultation to the department's spreadsheet, in real browsers and
// on screen only: the test makes no REST call for anyone's action — it moves the harness clock
// (POST /__test/clock, DP_TEST_CLOCK=1) instead of waiting 65 minutes and reads the captured
// mail. The accounts and the open consultation exist before the product starts (as an admin and
// a booking would have made them), so the timetable plans the consultation's T+65 feedback
// e-mail at its start-up. Then: the specialist holds it with the family (a phone) → ends it →
// fills the protocol and marks it «Протокол оформлен» → the clock passes T+65 → the family
// answers the анкета from the link in the e-mail → the head submits the month → the resource
// centre's head accepts it → the department's admin opens the consolidated month and
// downloads the XLSX, read back with exceljs and compared with the figures on the screen.

const PASSWORD = 'осенний лист на ветру';
const NAME = 'records-journey';
const CLIENT_EMAIL = 'petrova.family@example.org';
const DESKTOP = { width: 1280, height: 800 };
const ZONE = 'Asia/Omsk'; // the stack's institution
const MIN = 60_000;
const sel = (id: string) => `[data-testid="${id}"]`;

interface Account {
  email: string;
  displayName: string;
  totpSecret?: string;
}

const setup: {
  seat?: StaffSeat;
  clientLink?: string;
  institutionId?: string;
  head?: Account;
  centreHead?: Account;
  admin?: Account;
} = {};

/** Before the product starts: the open consultation, its people, the resource centre and the department's admin. */
const beforeStart: BeforeStart = async (p) => {
  const { prisma } = p;
  setup.seat = await p.staff(NAME, 'specialist', '', { displayName: 'Соколова Ирина Викторовна' });
  setup.clientLink = await p.link(NAME, 'client', '', { displayName: 'Петрова Анна', linkExpiresAt: new Date(Date.now() + 3 * 3600_000) });
  const consultationId = p.consultationId(NAME);
  await prisma.participant.updateMany({ where: { consultationId, role: 'client' }, data: { email: CLIENT_EMAIL } });
  const { institution } = await prisma.consultation.findUniqueOrThrow({ where: { id: consultationId }, select: { institution: true } });
  setup.institutionId = institution.id;
  // The calendar month is the reporting period here (a department setting; the default period,
  // the 25th of M−1 … the 24th of M, would put a run late in a month into the next one).
  await prisma.department.update({ where: { id: institution.departmentId }, data: { reportPeriodStartDay: 1 } });
  const centre = await prisma.institution.create({
    data: {
      departmentId: institution.departmentId,
      name: 'Ресурсный центр (e2e)',
      phone: '+7 (3812) 00-00-01',
      timeZone: ZONE,
      resourceCentre: true,
      week: Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, { start: '09:00', end: '18:00' }])),
    },
  });
  const passwordHash = await hashPassword(PASSWORD);
  const account = async (role: 'head' | 'admin', displayName: string, institutionId: string | null): Promise<Account> => {
    const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.org`;
    const totpSecret = role === 'admin' ? newTotpSecret() : undefined;
    await prisma.staffUser.create({
      data: {
        email,
        displayName,
        role,
        institutionId,
        departmentId: institution.departmentId,
        passwordHash,
        passwordChangedAt: new Date(),
        ...(totpSecret ? { totpSecret, totpEnabledAt: new Date() } : {}),
      },
    });
    return { email, displayName, ...(totpSecret ? { totpSecret } : {}) };
  };
  setup.head = await account('head', 'Орлова Татьяна Петровна', institution.id);
  setup.centreHead = await account('head', 'Белова Светлана Игоревна', centre.id);
  setup.admin = await account('admin', 'Громова Елена Андреевна', null);
};

const ctx = productWithMail({ DP_TEST_CLOCK: '1' }, beforeStart);

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

/**
 * A window of its own, signed in through the sign-in page (the admin's code for the server's
 * business time, which the harness moved), in the institution's time zone, then at `path`.
 */
async function signedIn(browser: Browser, who: Account, path: string): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport(DESKTOP);
  // The report screens open on the browser's month: the institution's, as for its staff. (The
  // consultation starts as the product does: only a run in the last two minutes or so of an
  // Omsk month would find it in the month before the one shown.)
  await page.emulateTimezone(ZONE);
  page.on('pageerror', (err) => console.error(`[page ${who.displayName}] ${(err as Error).message}`));
  await page.goto(`${ctx.product.base}/sign-in`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector(`input${sel('signin-email')}`, { visible: true, timeout: 15_000 });
  await page.type(`input${sel('signin-email')}`, who.email);
  await page.type(`input${sel('signin-password')}`, PASSWORD);
  if (who.totpSecret) {
    const epoch = Math.floor((await moveClock(0)) / 1000);
    await page.type(`input${sel('signin-code')}`, generateSync({ secret: who.totpSecret, epoch }));
  }
  await page.click(sel('signin-submit'));
  await page.waitForFunction(() => location.pathname !== '/sign-in', { timeout: 15_000 });
  await page.goto(`${ctx.product.base}${path}`, { waitUntil: 'domcontentloaded' });
  return page;
}

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const textOf = (page: Page, selector: string) => page.$eval(selector, (el) => (el.textContent ?? '').trim());
/** A figure as the screen writes it (ru: «4,5», «1 234») → a number. */
const figure = (text: string) => Number(text.replace(/\s/g, '').replace(',', '.'));

/** A page at a laptop's and a phone's width. */
async function both(page: Page, name: string): Promise<void> {
  await page.setViewport(DESKTOP);
  await settle();
  await screenshot(page, `${name}-desktop`);
  await page.setViewport(PHONE);
  await settle();
  await screenshot(page, `${name}-phone`);
  await page.setViewport(DESKTOP);
}

describe('records and reports, from the consultation to the spreadsheet', () => {
  it('held → protocol final → feedback from the T+65 e-mail → submitted → accepted → consolidated XLSX', async () => {
    const { browser, product, smtp } = ctx;
    const { prisma } = product;
    const consultationId = product.consultationId(NAME);
    const { seat, clientLink, institutionId, head, centreHead, admin } = setup as Required<typeof setup>;

    // 1. The specialist opens the room; the family joins from its link on a phone and is let in.
    const specialist = await openStaff(browser, seat);
    await specialist.emulateTimezone(ZONE);
    await join(specialist);
    await specialist.waitForSelector(sel('end-button'), { timeout: 15_000 });
    const client = await openParticipant(browser, clientLink, PHONE);
    await join(client);
    await client.waitForSelector(sel('waiting-room'), { timeout: 15_000 });
    await admitNext(specialist);
    for (const page of [specialist, client]) await waitForMedia(page, (m) => m.videoFramesDecoded > 10 && m.audioPacketsReceived > 20);
    await screenshot(client, 'records-1-client-in-room-phone');

    // 2. The specialist ends it: the family sees the end screen.
    await specialist.click(sel('end-button'));
    await specialist.waitForSelector(sel('end-confirm'), { visible: true });
    await specialist.click(sel('end-confirm'));
    await client.waitForSelector(`${sel('end-screen')}[data-reason="ended"]`, { timeout: 10_000 });
    await screenshot(client, 'records-2-client-end-phone');
    await client.browserContext().close();

    // 3. The protocol on the consultation's page: filled, saved, marked «Протокол оформлен».
    await specialist.waitForFunction(() => location.pathname === '/staff', { timeout: 10_000 });
    await specialist.goto(`${product.base}/staff/consultations/${consultationId}`, { waitUntil: 'domcontentloaded' });
    await specialist.waitForSelector(sel('protocol'), { timeout: 15_000 });
    await specialist.type(`textarea${sel('protocol-reason')}`, 'Ребёнок не ходит в школу третью неделю');
    await specialist.click(sel('protocol-topic'));
    await specialist.waitForSelector('[role="option"]');
    for (const o of await specialist.$$('[role="option"]'))
      if ((await o.evaluate((el) => el.textContent)) === 'проблемы в обучении') await o.click();
    await specialist.type(`textarea${sel('protocol-solution')}`, 'Встреча с классным руководителем; дневник наблюдений');
    await specialist.click(sel('protocol-save'));
    await specialist.waitForSelector(`${sel('protocol')}[data-version="1"]`, { timeout: 10_000 });
    await specialist.click(sel('protocol-finalize'));
    await specialist.waitForSelector(sel('protocol-finalize-confirm'), { visible: true });
    await specialist.click(sel('protocol-finalize-confirm'));
    await specialist.waitForSelector(`${sel('protocol')}[data-final="true"]`, { timeout: 10_000 });
    await both(specialist, 'records-3-protocol-final');
    const protocol = await prisma.protocolVersion.findFirstOrThrow({ where: { consultationId }, orderBy: { version: 'desc' } });
    expect([protocol.final, protocol.topic]).toEqual([true, 'learning']);
    await specialist.browserContext().close();

    // 4. T+65 (the harness clock, a little past): the timetable's feedback e-mail reaches the family.
    const { start } = await prisma.consultation.findUniqueOrThrow({ where: { id: consultationId } });
    await moveClock(start.getTime() + 66 * MIN - (await moveClock(0)));
    await waitUntil(
      async () => smtp.mails.some((m) => JSON.stringify(m.to).includes(CLIENT_EMAIL) && /\/feedback/.test(m.text ?? '')),
      'the feedback e-mail',
      30_000,
    );
    const mail = smtp.mails.find((m) => JSON.stringify(m.to).includes(CLIENT_EMAIL) && /\/feedback/.test(m.text ?? ''))!;
    const feedbackLink = /https?:\/\/\S+\/join\/[A-Za-z0-9_.-]+\/feedback/.exec(mail.text ?? '')?.[0];
    expect(feedbackLink).toBeTruthy();

    // 5. The family answers the анкета from the e-mail's link, on a phone.
    const form = await openParticipant(browser, feedbackLink!.replace('127.0.0.1', 'localhost'), PHONE);
    await form.waitForSelector(sel('feedback-form'), { timeout: 15_000 });
    await screenshot(form, 'records-5-feedback-form-phone');
    const marks = { quality: 5, topicMatch: 4, comfort: 5, clarity: 4, usefulness: 5, stateImproved: 4, specialistWork: 5 };
    for (const [criterion, score] of Object.entries(marks)) {
      const labels = await form.$$(`${sel(`feedback-${criterion}`)} label`);
      expect(labels).toHaveLength(5);
      await labels[score - 1]!.click();
    }
    await (await form.$$(`${sel('feedback-preference')} label`))[0]!.click();
    await form.type(sel('feedback-impressions'), 'Спокойно и понятно, спасибо');
    await form.click(sel('feedback-send'));
    await form.waitForSelector(sel('feedback-thanks'), { timeout: 10_000 });
    await screenshot(form, 'records-5-feedback-thanks-phone');
    await form.setViewport(DESKTOP);
    await settle();
    await screenshot(form, 'records-5-feedback-thanks-desktop');
    expect(await prisma.feedbackAnswer.count({ where: { consultationId } })).toBe(1);
    await form.browserContext().close();

    // 6. The head opens «Отчёты»: the month holds the consultation, its topic and the answer; submitted.
    const headPage = await signedIn(browser, head, '/staff');
    await headPage.waitForSelector(`a${sel('nav-/reports')}`, { timeout: 15_000 });
    await headPage.click(`a${sel('nav-/reports')}`);
    await headPage.waitForSelector(sel('report-figure-consultations.held'), { timeout: 20_000 });
    const headHeld = figure(await textOf(headPage, sel('report-figure-consultations.held')));
    const headAnswers = figure(await textOf(headPage, sel('report-figure-feedback.answers')));
    expect([headHeld, headAnswers, figure(await textOf(headPage, sel('report-figure-topic.learning')))]).toEqual([1, 1, 1]);
    await screenshot(headPage, 'records-6-report-head-desktop');
    // The number opens the records behind it: this consultation, its specialist (the head may see names).
    await headPage.click(sel('report-figure-consultations.held'));
    await headPage.waitForSelector(`${sel('report-records-table')} tbody tr`, { visible: true, timeout: 10_000 });
    const records = await headPage.$$eval(`${sel('report-records-table')} tbody tr`, (els) => els.map((e) => e.textContent ?? ''));
    expect(records).toHaveLength(1);
    expect(records[0]).toContain('Соколова Ирина Викторовна');
    await settle();
    await screenshot(headPage, 'records-6-report-drilldown-desktop');
    await headPage.keyboard.press('Escape');
    await headPage.waitForSelector(sel('report-records-table'), { hidden: true });
    await headPage.click(sel('report-submit'));
    // Submitting freezes the month: the head confirms it first.
    const confirmSubmit = await headPage.waitForSelector(sel('report-submit-confirm'), { visible: true, timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 400)); // the dialog's opening transition moves the button
    await confirmSubmit!.click();
    await headPage.waitForFunction(
      (s) => /отправлен|представлен/i.test(document.querySelector(s)?.textContent ?? ''),
      { timeout: 10_000 },
      sel('report-status'),
    );
    await both(headPage, 'records-6-report-submitted');
    await headPage.browserContext().close();

    // 7. The resource centre's head accepts it in the consolidated month.
    const centre = await signedIn(browser, centreHead, '/reports');
    await centre.waitForSelector(sel('reports-to-consolidated'), { timeout: 20_000 });
    await centre.click(sel('reports-to-consolidated'));
    const row = sel(`consolidated-row-${institutionId}`);
    await centre.waitForSelector(`${row} ${sel('consolidated-accept')}`, { timeout: 20_000 });
    await screenshot(centre, 'records-7-consolidated-centre-desktop');
    await centre.click(`${row} ${sel('consolidated-accept')}`);
    await centre.waitForSelector(`${row} ${sel('consolidated-accept')}`, { hidden: true, timeout: 10_000 });
    await centre.browserContext().close();

    // 8. The department's admin sees it accepted in the consolidated month and downloads the XLSX.
    const adminPage = await signedIn(browser, admin, '/reports');
    await adminPage.waitForSelector(sel('reports-to-consolidated'), { timeout: 20_000 });
    await adminPage.click(sel('reports-to-consolidated'));
    await adminPage.waitForSelector(`${row} ${sel('consolidated-status')}`, { timeout: 20_000 });
    const status = await textOf(adminPage, `${row} ${sel('consolidated-status')}`);
    expect(status).toMatch(/принят/i);
    // The row's key figures as shown (after the name and the status), and the totals.
    const headers = await adminPage.$$eval(`${sel('consolidated-table')} thead th`, (els) => els.map((e) => (e.textContent ?? '').trim()));
    const cells = await adminPage.$$eval(`${row} td`, (els) => els.map((e) => (e.textContent ?? '').trim()));
    const shown = new Map(headers.slice(2, 7).map((h, i) => [h, figure(cells[i + 2]!)]));
    expect(shown.get('Проведено консультаций')).toBe(1);
    expect(shown.get('Получено анкет')).toBe(1);
    const shownTotalHeld = figure(await textOf(adminPage, sel('consolidated-total-consultations.held')));
    await both(adminPage, 'records-8-consolidated-admin');

    const href = await adminPage.$eval(sel('consolidated-download-xlsx'), (el) => el.getAttribute('href') ?? '');
    expect(href).toMatch(/format=xlsx/);
    // What «Скачать XLSX» fetches, with the admin's own session (the page's cookies).
    const file = await adminPage.evaluate(async (url) => {
      const res = await fetch(url, { credentials: 'same-origin' });
      const bytes = new Uint8Array(await res.arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      return { status: res.status, type: res.headers.get('content-type'), base64: btoa(binary) };
    }, href);
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toMatch(/^Свод \d{4}-\d{2}$/);
    const headerRow = Array.from(sheet.getRow(1).values as unknown[], (v) => String(v ?? ''));
    const institutionName = cells[0]!.replace(/\s*\(.*$/, '');
    const column = headerRow.findIndex((h) => h.startsWith('E2E учреждение'));
    const totalColumn = headerRow.indexOf('Всего');
    expect(institutionName).toContain('E2E учреждение');
    expect([column > 0, totalColumn > column]).toEqual([true, true]);
    const numberIn = (v: ExcelJS.CellValue): number => {
      if (typeof v === 'number') return v;
      if (v && typeof v === 'object' && 'result' in v) return Number(v.result);
      return NaN;
    };
    const rowOf = (label: string) => {
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((r) => {
        if (r.getCell(2).value === label) found = r;
      });
      if (!found) throw new Error(`no row «${label}» in the XLSX`);
      return found;
    };
    for (const label of ['Проведено консультаций', 'Получено анкет', 'Поступило обращений', 'Отвечено в срок']) {
      expect([label, numberIn(rowOf(label).getCell(column).value)]).toEqual([label, shown.get(label)]);
    }
    const heldRow = rowOf('Проведено консультаций');
    expect(numberIn(heldRow.getCell(totalColumn).value)).toBe(shownTotalHeld);
    expect(heldRow.getCell(totalColumn).formula).toMatch(/^SUM\(/);
    expect(numberIn(rowOf('Качество консультации').getCell(column).value)).toBe(5);
    const statuses = book.getWorksheet('Статусы')!;
    const statusRow = (statuses.getSheetValues() as unknown[][]).find((r) => String(r?.[1] ?? '').startsWith('E2E учреждение'));
    expect(statusRow?.[2]).toBe('принят');
    // Aggregates only: nothing of the family in the department's file.
    book.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => expect(String(c.value)).not.toMatch(/Петрова|petrova|не ходит в школу/i))));

    // «Скачать CSV»: for Russian Excel — a BOM, «;» between the columns, the same figures.
    const csvHref = await adminPage.$eval(sel('consolidated-download-csv'), (el) => el.getAttribute('href') ?? '');
    const csv = await adminPage.evaluate(async (url) => {
      const res = await fetch(url, { credentials: 'same-origin' });
      return Array.from(new Uint8Array(await res.arrayBuffer()));
    }, csvHref);
    expect(csv.slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
    const lines = Buffer.from(csv.slice(3)).toString('utf8').split(/\r?\n/);
    const csvHeader = lines[0]!.split(';');
    expect(csvHeader.slice(0, 2)).toEqual(['Раздел', 'Показатель']);
    const held = lines.find((l) => l.split(';')[1] === 'Проведено консультаций')!.split(';');
    expect(Number(held[csvHeader.findIndex((h) => h.startsWith('E2E учреждение'))])).toBe(shown.get('Проведено консультаций'));
    await adminPage.browserContext().close();
  }, 120_000);
});
