import { describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'puppeteer-core';
import { hashPassword } from '../../../apps/signalling/src/auth/passwords.ts';
import { PHONE, screenshot, waitUntil } from './browser.ts';
import { productWithMail } from './stack.ts';

// The telephone and e-mail forms of distance consultation on screen (issue 17, the third e2e):
// a social worker books a consultation by telephone into a slot; at its time (the harness
// clock moves) the specialist records it as held with the actual duration. A consultation by
// e-mail is booked without a slot; the specialist writes the answer on its page and sends it —
// the SMTP capture gets it. The test makes no API call but the harness clock.

const ctx = productWithMail({ DP_TEST_CLOCK: '1' });

const DESKTOP = { width: 1280, height: 800 };
const PASSWORD = 'тёплый вечер у реки';
const sel = (id: string) => `[data-testid="${id}"]`;
const PHONE_CLIENT = 'phone.family@example.org';
const MAIL_CLIENT = 'mail.family@example.org';

interface Account {
  id: string;
  email: string;
}

async function setUp(): Promise<{ institutionId: string; social: Account; specialist: Account }> {
  const { prisma } = ctx.product;
  const institution = await prisma.institution.create({
    data: {
      department: { create: { name: 'Департамент (e2e формы)' } },
      name: 'Центр «Семья» (e2e формы)',
      phone: '+7 (3812) 11-22-33',
      timeZone: 'Asia/Omsk',
      week: Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, { start: '08:00', end: '20:00' }])),
    },
  });
  const passwordHash = await hashPassword(PASSWORD);
  const account = async (role: 'social_worker' | 'specialist', displayName: string): Promise<Account> => {
    const email = `${role}-forms-${Date.now()}@example.org`;
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
    return { id: user.id, email };
  };
  const social = await account('social_worker', 'Кузнецова Мария Ильинична');
  const specialist = await account('specialist', 'Соколова Ирина Викторовна');
  // An approved schedule for this and the next month, every day 08:00–20:00 (not the flow under test).
  const now = new Date();
  for (const offset of [0, 1]) {
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
    const month = first.toISOString().slice(0, 7);
    const days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
    await prisma.specialistMonthSchedule.create({
      data: {
        specialistId: specialist.id,
        month,
        status: 'approved',
        approvedAt: now,
        blocks: {
          create: Array.from({ length: days }, (_, i) => ({
            date: `${month}-${String(i + 1).padStart(2, '0')}`,
            start: '08:00',
            end: '20:00',
          })),
        },
      },
    });
  }
  return { institutionId: institution.id, social, specialist };
}

async function request(institutionId: string, number: number, channel: 'phone' | 'email', contact: string): Promise<string> {
  const r = await ctx.product.prisma.request.create({
    data: {
      institutionId,
      year: 2026,
      number,
      receivedAt: new Date(),
      channel,
      contact,
      fromWhom: 'Мать',
      representativeName: 'Петрова Анна',
      reason: 'Трудности в общении со сверстниками',
      responsibleSpecialistId: null,
    },
  });
  return r.id;
}

async function signedIn(browser: Browser, who: Account, path: string): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport(DESKTOP);
  page.on('pageerror', (err) => console.error(`[page] ${(err as Error).message}`));
  await page.goto(`${ctx.product.base}/sign-in`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector(`input${sel('signin-email')}`, { visible: true, timeout: 15_000 });
  await page.type(`input${sel('signin-email')}`, who.email);
  await page.type(`input${sel('signin-password')}`, PASSWORD);
  await page.click(sel('signin-submit'));
  await page.waitForFunction(() => location.pathname !== '/sign-in', { timeout: 15_000 });
  await page.goto(`${ctx.product.base}${path}`, { waitUntil: 'networkidle0' });
  return page;
}

async function moveClock(ms: number): Promise<number> {
  const res = await fetch(`${ctx.product.url}/__test/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMs: Math.max(0, Math.round(ms)) }),
  });
  if (!res.ok) throw new Error(`the harness clock answered ${res.status}`);
  return Date.parse(((await res.json()) as { now: string }).now);
}

async function chooseSpecialist(page: Page, specialistId: string): Promise<void> {
  await page.click(`${sel('booking-profession')}[data-profession="psychologist"]`);
  await page.waitForSelector(`${sel('booking-specialist')}[data-specialist-id="${specialistId}"]`, { timeout: 20_000 });
  await page.click(`${sel('booking-specialist')}[data-specialist-id="${specialistId}"]`);
}

async function both(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-desktop`);
  await page.setViewport(PHONE);
  await new Promise((r) => setTimeout(r, 400));
  await screenshot(page, `${name}-phone`);
  await page.setViewport(DESKTOP);
}

describe('the telephone and e-mail forms on screen', () => {
  it('a consultation by telephone is booked and recorded as held; one by e-mail is answered and sent', async () => {
    const { browser, prisma } = { browser: ctx.browser, prisma: ctx.product.prisma };
    const { institutionId, social, specialist } = await setUp();

    // --- by telephone -------------------------------------------------------------------
    const phoneRequest = await request(institutionId, 9001, 'phone', '+7 913 000-11-22');
    const sw = await signedIn(browser, social, `/requests/${phoneRequest}/book`);
    await chooseSpecialist(sw, specialist.id);
    await sw.click(sel('booking-form-phone'));
    const day = await sw.waitForSelector(`${sel('booking-day')}[data-free="true"]:not([data-outside])`, { timeout: 20_000 });
    await day!.click();
    const slot = await sw.waitForSelector(sel('booking-slot'), { timeout: 10_000 });
    await slot!.click();
    await sw.type(`input${sel('booking-client-email')}`, PHONE_CLIENT);
    await both(sw, 'forms-booking-phone');
    await sw.click(sel('booking-submit'));
    await sw.waitForSelector(`${sel('booking-result')}[data-form="phone"]`, { timeout: 15_000 });
    const phone = await prisma.consultation.findFirstOrThrow({ where: { requestId: phoneRequest } });
    expect([phone.form, phone.state]).toEqual(['phone', 'planned']);
    await waitUntil(async () => ctx.smtp.mails.some((m) => JSON.stringify(m.to).includes(PHONE_CLIENT)), 'the phone invitation', 20_000);
    const invitation = ctx.smtp.mails.find((m) => JSON.stringify(m.to).includes(PHONE_CLIENT))!;
    expect(invitation.text).toContain('Вам позвонят по телефону');
    expect(invitation.text).not.toContain('/join/');

    // The booked time comes (the harness clock), and the specialist records the call.
    const serverNow = await moveClock(0);
    await moveClock(phone.start.getTime() - serverNow + 60_000);
    // The specialist's day shows the number to call; «Отметить итог звонка» opens the consultation.
    const sp = await signedIn(browser, specialist, '/day');
    const row = `${sel('day-row')}[data-id="${phone.id}"]`;
    await sp.waitForSelector(`${row} ${sel('day-phone')}`, { timeout: 15_000 });
    expect(await sp.$eval(`${row} ${sel('day-phone')}`, (el) => el.textContent)).toContain('+7 913 000-11-22');
    expect(await sp.$(`${row} ${sel('day-enter')}`)).toBeNull();
    await both(sp, 'forms-day-phone');
    await sp.click(`${row} ${sel('day-open')}`);
    await sp.waitForSelector(sel('phone-actual-minutes'), { timeout: 15_000 });
    expect(await sp.$eval(sel('phone-number'), (el) => el.textContent)).toContain('+7 913 000-11-22');
    await sp.click(`input${sel('phone-actual-minutes')}`, { count: 3 });
    await sp.keyboard.press('Backspace');
    await sp.type(`input${sel('phone-actual-minutes')}`, '25');
    await both(sp, 'forms-phone-outcome');
    await sp.click(sel('phone-outcome-held'));
    await sp.waitForSelector(`${sel('consultation-page')}[data-state="ended"]`, { timeout: 15_000 });
    const held = await prisma.consultation.findUniqueOrThrow({ where: { id: phone.id } });
    expect(held.state).toBe('ended');
    expect(held.endedAt!.getTime() - held.startedAt!.getTime()).toBe(25 * 60_000);

    // --- by e-mail ------------------------------------------------------------------------
    const mailRequest = await request(institutionId, 9002, 'email', MAIL_CLIENT);
    await sw.goto(`${ctx.product.base}/requests/${mailRequest}/book`, { waitUntil: 'networkidle0' });
    await chooseSpecialist(sw, specialist.id);
    await sw.click(sel('booking-form-email'));
    await sw.waitForSelector(sel('booking-email-deadline'));
    expect(await sw.$(sel('booking-day'))).toBeNull();
    await both(sw, 'forms-booking-email');
    await sw.click(sel('booking-submit'));
    await sw.waitForSelector(`${sel('booking-result')}[data-form="email"]`, { timeout: 15_000 });
    const mail = await prisma.consultation.findFirstOrThrow({ where: { requestId: mailRequest } });
    expect(mail.form).toBe('email');

    const answer = 'Здравствуйте! Рекомендую вести дневник наблюдений и прийти на консультацию к школьному психологу.';
    await sp.goto(`${ctx.product.base}/staff/consultations/${mail.id}`, { waitUntil: 'networkidle0' });
    await sp.waitForSelector(`textarea${sel('email-answer-text')}`, { timeout: 15_000 });
    await sp.type(`textarea${sel('email-answer-text')}`, answer);
    await both(sp, 'forms-email-answer');
    await sp.click(sel('email-answer-send'));
    await sp.waitForSelector(sel('email-answer-sent'), { timeout: 20_000 });
    await both(sp, 'forms-email-sent');
    await waitUntil(async () => ctx.smtp.mails.some((m) => m.text?.includes('дневник наблюдений')), 'the e-mail answer', 20_000);
    const sent = ctx.smtp.mails.find((m) => m.text?.includes('дневник наблюдений'))!;
    expect(JSON.stringify(sent.to)).toContain(MAIL_CLIENT);
    expect((await prisma.request.findUniqueOrThrow({ where: { id: mailRequest } })).status).toBe('completed');
    await sw.browserContext().close();
    await sp.browserContext().close();
  }, 240_000);
});
