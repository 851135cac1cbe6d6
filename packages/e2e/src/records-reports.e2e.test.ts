import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'puppeteer-core';
import { generateSync } from 'otplib';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { hashPassword } from '../../../apps/signalling/src/auth/passwords.ts';
import { newTotpSecret } from '../../../apps/signalling/src/auth/totp.ts';
import { admitNext, join, openParticipant, openStaff, openTab, PHONE, screenshot, waitForMedia, waitUntil } from './browser.ts';
import type { StaffSeat } from './common.ts';
import { accessible, both, DESKTOP, download, figure, mark, retype, sel, settle, textOf } from './records.ts';
import { productWithMail, type BeforeStart } from './stack.ts';

// Issue 18's journey from a consultation to the department's spreadsheet, in real browsers and
// on screen only: the test makes no REST call for anyone's action — it moves the harness clock
// (POST /__test/clock, DP_TEST_CLOCK=1) instead of waiting 65 minutes and reads the captured
// mail. The accounts and the open consultation exist before the product starts (as an admin and
// a booking would have made them), so the timetable plans the consultation's T+65 feedback
// e-mail at its start-up. Then: the specialist holds it with the family (a phone), begins the
// protocol in the room's «Заметки» → ends it → completes the protocol on the consultation's
// page (a link, a file), marks it «Протокол оформлен», changes it as version 2 → the clock
// passes T+65 → the family answers the анкета from the link in the e-mail and changes one mark
// → the specialist reads the answer → the head submits the month → the resource centre's head
// accepts it → the department's admin opens the consolidated month and downloads the XLSX,
// read back with exceljs and compared with the figures on the screen. (One journey holds what
// the protocol's and the анкета's own checks need: one product, one consultation.)

const PASSWORD = 'осенний лист на ветру';
const NAME = 'records-journey';
const CLIENT_EMAIL = 'petrova.family@example.org';
const CLIENT_NAME = 'Петрова Анна';
const ZONE = 'Asia/Omsk'; // the stack's institution
const MIN = 60_000;

interface Account {
  email: string;
  displayName: string;
  totpSecret?: string;
}

const setup: {
  seat?: StaffSeat;
  clientLink?: string;
  cancelledLink?: string;
  institutionId?: string;
  head?: Account;
  centreHead?: Account;
  admin?: Account;
} = {};

/** Before the product starts: the open consultation, its people, the resource centre and the department's admin. */
const beforeStart: BeforeStart = async (p) => {
  const { prisma } = p;
  setup.seat = await p.staff(NAME, 'specialist', '', { displayName: 'Соколова Ирина Викторовна' });
  setup.clientLink = await p.link(NAME, 'client', '', { displayName: CLIENT_NAME, linkExpiresAt: new Date(Date.now() + 3 * 3600_000) });
  // A consultation that did not take place: its анкета link has nothing to rate.
  setup.cancelledLink = await p.link(`${NAME}-cancelled`, 'client', '', {
    start: new Date(Date.now() + 3600_000),
    state: 'cancelled',
    linkExpiresAt: new Date(Date.now() + 3 * 3600_000),
  });
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

describe('records and reports, from the consultation to the spreadsheet', () => {
  it('held (protocol begun in the room) → protocol final, version 2 → feedback from the T+65 e-mail, changed → submitted → accepted → consolidated XLSX', async () => {
    const { browser, product, smtp } = ctx;
    const { prisma } = product;
    const consultationId = product.consultationId(NAME);
    const { seat, clientLink, cancelledLink, institutionId, head, centreHead, admin } = setup as Required<typeof setup>;

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

    // The protocol is begun in the room: «Заметки» holds the same form, compact (a draft, version 1).
    const REASON = 'Ребёнок не ходит в школу третью неделю';
    const inRoom = sel('room-protocol');
    await openTab(specialist, 'notes');
    await specialist.waitForSelector(`${inRoom} ${sel('protocol')}`, { timeout: 15_000 });
    await specialist.type(`${inRoom} textarea${sel('protocol-reason')}`, REASON);
    await specialist.click(`${inRoom} ${sel('protocol-save')}`);
    await specialist.waitForSelector(`${inRoom} ${sel('protocol')}[data-version="1"]`, { timeout: 10_000 });
    await settle();
    await screenshot(specialist, 'records-1-protocol-room-desktop');
    await specialist.setViewport(PHONE);
    await settle(800);
    await openTab(specialist, 'notes');
    await specialist.waitForSelector(`${inRoom} ${sel('protocol')}`, { visible: true, timeout: 10_000 });
    await settle();
    await screenshot(specialist, 'records-1-protocol-room-phone');
    const draft = await prisma.protocolVersion.findFirstOrThrow({ where: { consultationId } });
    expect([draft.version, draft.final, draft.reason]).toEqual([1, false, REASON]);
    await specialist.setViewport(DESKTOP);

    // 2. The specialist ends it: the family sees the end screen.
    await specialist.waitForSelector(sel('end-button'), { visible: true, timeout: 10_000 });
    await specialist.click(sel('end-button'));
    await specialist.waitForSelector(sel('end-confirm'), { visible: true });
    await specialist.click(sel('end-confirm'));
    await client.waitForSelector(`${sel('end-screen')}[data-reason="ended"]`, { timeout: 10_000 });
    await screenshot(client, 'records-2-client-end-phone');
    await client.browserContext().close();

    // 3. The protocol on the consultation's page: the room's draft completed (a link refused, then
    // given right; a file added and downloaded intact), marked «Протокол оформлен», changed as
    // version 2 (version 1 stays readable) — axe-clean at a laptop's and a phone's size.
    await specialist.waitForFunction(() => location.pathname === '/staff', { timeout: 10_000 });
    await specialist.goto(`${product.base}/staff/consultations/${consultationId}`, { waitUntil: 'domcontentloaded' });
    await specialist.waitForSelector(`${sel('protocol')}[data-version="1"]`, { timeout: 15_000 });
    expect(await specialist.$eval(`textarea${sel('protocol-reason')}`, (el) => (el as HTMLTextAreaElement).value)).toBe(REASON);
    await specialist.click(sel('protocol-topic'));
    await specialist.waitForSelector('[role="option"]');
    for (const o of await specialist.$$('[role="option"]'))
      if ((await o.evaluate((el) => el.textContent)) === 'проблемы в обучении') await o.click();
    await specialist.type(`textarea${sel('protocol-solution')}`, 'Встреча с классным руководителем; дневник наблюдений');
    await specialist.click(sel('protocol-link-add'));
    await specialist.type(sel('protocol-link-title'), 'Памятка');
    await specialist.type(sel('protocol-link-url'), 'ftp://example.org/a');
    await specialist.click(sel('protocol-save'));
    await specialist.waitForFunction(() => document.body.textContent?.includes('http:// или https://'), { timeout: 5000 });
    await retype(specialist, sel('protocol-link-url'), 'https://example.org/pamyatka.pdf');
    await specialist.click(sel('protocol-save'));
    await specialist.waitForFunction(
      (s) => document.querySelector(s)?.textContent === 'Сохранено.',
      { timeout: 10_000 },
      sel('protocol-message'),
    );
    const upload = joinPath(tmpdir(), 'памятка.txt');
    const content = `Телефон доверия: 8-800-2000-122\nДля семьи ${Date.now()}\n`;
    writeFileSync(upload, content);
    const input = await specialist.$(sel('protocol-file-input'));
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(upload);
    await specialist.waitForSelector(sel('protocol-file'), { timeout: 10_000 });
    expect(await textOf(specialist, sel('protocol-files'))).toContain('памятка.txt');
    const fileHref = await specialist.$eval(sel('protocol-file-download'), (el) => el.getAttribute('href') ?? '');
    const served = await download(specialist, fileHref);
    const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
    expect([served.status, sha256(served.bytes)]).toEqual([200, sha256(content)]);
    await specialist.$eval(sel('protocol-files'), (el) => el.scrollIntoView({ block: 'center' }));
    await settle();
    await screenshot(specialist, 'records-3-protocol-draft-desktop');
    await accessible(specialist, 'records-3-protocol-draft-desktop');
    await specialist.click(sel('protocol-finalize'));
    await specialist.waitForSelector(sel('protocol-finalize-confirm'), { visible: true });
    await specialist.click(sel('protocol-finalize-confirm'));
    await specialist.waitForSelector(`${sel('protocol')}[data-final="true"]`, { timeout: 10_000 });
    await settle();
    await screenshot(specialist, 'records-3-protocol-final-desktop');
    await specialist.click(sel('protocol-revise'));
    await retype(specialist, `textarea${sel('protocol-solution')}`, 'Встреча с классным руководителем; повторная консультация через месяц');
    await specialist.click(sel('protocol-save'));
    await specialist.waitForSelector(`${sel('protocol')}[data-version="2"]`, { timeout: 10_000 });
    expect(await textOf(specialist, sel('protocol-versions'))).toContain('изменено: Решение и рекомендации');
    await settle();
    await screenshot(specialist, 'records-3-protocol-v2-desktop');
    await specialist.click(sel('protocol-version-open-1'));
    await specialist.waitForFunction(() => document.querySelector('[role="dialog"]')?.textContent?.includes('дневник наблюдений'), {
      timeout: 10_000,
    });
    expect(await textOf(specialist, '[role="dialog"]')).not.toContain('через месяц');
    await settle();
    await screenshot(specialist, 'records-3-protocol-v1-modal-desktop');
    await specialist.keyboard.press('Escape');
    await settle();
    await specialist.setViewport(PHONE);
    await settle();
    await screenshot(specialist, 'records-3-protocol-final-phone');
    await accessible(specialist, 'records-3-protocol-final-phone');
    expect(await specialist.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)).toBe(false);
    const versions = await prisma.protocolVersion.findMany({ where: { consultationId }, orderBy: { version: 'asc' } });
    expect(versions.map((v) => [v.version, v.final, v.changedFields, v.topic])).toEqual([
      [1, true, [], 'learning'],
      [2, true, ['solution'], 'learning'],
    ]);
    await specialist.setViewport(DESKTOP);

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

    // 5. The family answers the анкета from the e-mail's link, on a 360 px phone (axe-clean, 48 px
    // targets, nothing wider than the phone): a missing mark is said, «Спасибо!», then «Изменить
    // ответ» once — still one answer; opened again later, thanked.
    const form = await openParticipant(browser, feedbackLink!.replace('127.0.0.1', 'localhost'), PHONE);
    await form.waitForSelector(sel('feedback-form'), { timeout: 15_000 });
    expect(await textOf(form, 'h1')).toBe('Анкета: как прошла консультация');
    await accessible(form, 'records-5-feedback-form-phone');
    await screenshot(form, 'records-5-feedback-form-phone');
    const heights = await form.$$eval(`${sel('feedback-quality')} label`, (els) => els.map((e) => e.getBoundingClientRect().height));
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(48);
    expect(await form.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await form.click(sel('feedback-send'));
    await form.waitForSelector(sel('feedback-problem'));
    expect(await textOf(form, sel('feedback-problem'))).toContain('все семь пунктов');
    const marks = { quality: 5, topicMatch: 4, comfort: 5, clarity: 4, usefulness: 5, stateImproved: 3, specialistWork: 5 };
    for (const [criterion, score] of Object.entries(marks)) await mark(form, criterion, score);
    await (await form.$$(`${sel('feedback-preference')} label`))[0]!.click(); // «Больше практики»
    await form.type(sel('feedback-impressions'), 'Спокойно и понятно, спасибо');
    await form.click(sel('feedback-send'));
    await form.waitForSelector(sel('feedback-thanks'), { timeout: 10_000 });
    expect(await textOf(form, sel('feedback-thanks'))).toContain('Спасибо!');
    expect(await textOf(form, sel('feedback-edit'))).toMatch(/^Изменить ответ до \d+/);
    await accessible(form, 'records-5-feedback-thanks-phone');
    await screenshot(form, 'records-5-feedback-thanks-phone');
    const answers = () => prisma.feedbackAnswer.findMany({ where: { consultationId } });
    expect(await answers()).toMatchObject([{ ...marks, preference: 'more_practice', impressions: 'Спокойно и понятно, спасибо' }]);
    await form.click(sel('feedback-edit'));
    await form.waitForSelector(sel('feedback-form'));
    expect(await form.$eval(sel('feedback-impressions'), (el) => (el as HTMLTextAreaElement).value)).toBe('Спокойно и понятно, спасибо');
    await mark(form, 'quality', 3);
    expect(await textOf(form, sel('feedback-send'))).toBe('Сохранить изменения');
    await form.click(sel('feedback-send'));
    await form.waitForSelector(sel('feedback-thanks'), { timeout: 10_000 });
    const changed = await answers();
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ ...marks, quality: 3, preference: 'more_practice' });
    await form.reload({ waitUntil: 'domcontentloaded' });
    await form.waitForSelector(sel('feedback-thanks'), { timeout: 15_000 });
    await form.setViewport(DESKTOP);
    await settle();
    await screenshot(form, 'records-5-feedback-thanks-desktop');
    // The анкета of a consultation that did not take place: nothing to rate.
    await form.goto(`${cancelledLink}/feedback`, { waitUntil: 'domcontentloaded' });
    await form.waitForSelector(sel('feedback-unavailable'), { timeout: 15_000 });
    expect(await form.$eval(sel('feedback-page'), (el) => el.getAttribute('data-status'))).toBe('cancelled');
    expect(await form.$(sel('feedback-form'))).toBeNull();
    await form.browserContext().close();

    // The specialist reads the answer on the consultation's page (signed in again: the session
    // idled out over the hour): the marks, the wish, the impressions — no name.
    await seat.signIn(specialist);
    await specialist.goto(`${product.base}/staff/consultations/${consultationId}`, { waitUntil: 'domcontentloaded' });
    await specialist.waitForSelector(sel('feedback-table'), { timeout: 20_000 });
    expect(await textOf(specialist, sel('feedback-average-quality'))).toBe('3,0');
    const panel = await textOf(specialist, sel('consultation-feedback'));
    expect([panel.includes('Спокойно и понятно, спасибо'), panel.includes('Больше практики'), panel.includes(CLIENT_NAME)]).toEqual([
      true,
      true,
      false,
    ]);
    await specialist.$eval(sel('consultation-feedback'), (el) => el.scrollIntoView());
    await accessible(specialist, 'records-5-feedback-staff-desktop');
    await screenshot(specialist, 'records-5-feedback-staff-desktop');
    await specialist.browserContext().close();

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
    const file = await download(adminPage, href);
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
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
    expect(numberIn(rowOf('Качество консультации').getCell(column).value)).toBe(3); // the answer as changed
    const statuses = book.getWorksheet('Статусы')!;
    const statusRow = (statuses.getSheetValues() as unknown[][]).find((r) => String(r?.[1] ?? '').startsWith('E2E учреждение'));
    expect(statusRow?.[2]).toBe('принят');
    // Aggregates only: nothing of the family in the department's file.
    book.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => expect(String(c.value)).not.toMatch(/Петрова|petrova|не ходит в школу/i))));

    // «Скачать CSV»: for Russian Excel — a BOM, «;» between the columns, the same figures.
    const csvHref = await adminPage.$eval(sel('consolidated-download-csv'), (el) => el.getAttribute('href') ?? '');
    const csv = (await download(adminPage, csvHref)).bytes;
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').split(/\r?\n/);
    const csvHeader = lines[0]!.split(';');
    expect(csvHeader.slice(0, 2)).toEqual(['Раздел', 'Показатель']);
    const held = lines.find((l) => l.split(';')[1] === 'Проведено консультаций')!.split(';');
    expect(Number(held[csvHeader.findIndex((h) => h.startsWith('E2E учреждение'))])).toBe(shown.get('Проведено консультаций'));
    await adminPage.browserContext().close();
  }, 180_000);
});
