import { describe, expect, it } from '@jest/globals';
import { generateSync } from 'otplib';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { bookConsultation, issueFirstAdmin, randomId } from '@dp/signalling';
// The same function `pnpm admin:create` runs (not exported from the package's entry point).
import { PHONE, screenshot } from './browser.ts';
import { productAndBrowser } from './stack.ts';

// Staff access in real Chromium against the real product: the first admin's one-time link,
// the forced second factor, an account created on the staff page, and a specialist who
// sees exactly their own consultations.

const ctx = productAndBrowser();
const DESKTOP = { width: 1280, height: 800 };
const DAY = 86_400_000;

/** The pages open in the running test, for a screenshot of each when it fails. */
const open = new Map<string, Page>();

async function newPage(browser: Browser, name: string, viewport: { width: number; height: number }): Promise<Page> {
  // Its own context: cookies of one person never leak into the other's session.
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(viewport);
  page.on('pageerror', (err) => console.error(`[${name}] ${(err as Error).message}`));
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 500)
      console.log(`[${name}] ${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()}`);
  });
  open.set(name, page);
  return page;
}

/** Runs a test body; on failure leaves a screenshot of every open page in test-artifacts/. */
async function withScreenshotsOnFailure(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    for (const [name, page] of open) await screenshot(page, `access-failure-${name}`).catch(() => undefined);
    throw e;
  } finally {
    for (const page of open.values())
      await page
        .browserContext()
        .close()
        .catch(() => undefined);
    open.clear();
  }
}

const testId = (id: string) => `[data-testid="${id}"]`;

async function waitForPath(page: Page, path: string): Promise<void> {
  await page.waitForFunction((p: string) => location.pathname === p, { timeout: 15_000 }, path);
}

/** Replaces an input's value as a user would: select everything, type. */
async function fill(page: Page, id: string, value: string): Promise<void> {
  const input = await page.waitForSelector(`${testId(id)}:not([disabled])`, { visible: true });
  await input!.click({ count: 3 });
  await page.keyboard.press('Backspace');
  await input!.type(value);
}

/** Picks an option of a Mantine Select by its exact label (other Selects' lists may sit hidden in the page). */
async function choose(page: Page, id: string, label: string): Promise<void> {
  await page.click(testId(id));
  const option = await page.waitForFunction(
    (text: string) =>
      [...document.querySelectorAll<HTMLElement>('[role="option"]')].find((o) => o.textContent?.trim() === text && o.offsetParent !== null),
    { timeout: 5000 },
    label,
  );
  const element = option.asElement() as ElementHandle<Element> | null;
  if (!element) throw new Error(`no option «${label}» in ${id}`);
  await element.click();
  await page.waitForFunction(
    (sel: string, text: string) => (document.querySelector(sel) as HTMLInputElement | null)?.value === text,
    { timeout: 5000 },
    testId(id),
    label,
  );
}

/** Types six digits into a Mantine PinInput (focus moves from box to box by itself). */
async function typeCode(page: Page, id: string, code: string): Promise<void> {
  const first = await page.waitForSelector(`${testId(id)} input`, { visible: true });
  await first!.click();
  await page.keyboard.type(code, { delay: 30 });
}

/** The set-password page: check whose account it is, set the password; lands on sign-in with the e-mail filled in. */
async function setPassword(page: Page, url: string, who: { email: string; name: string }, password: string, shot?: string) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector(testId('set-password-name'));
  expect(await page.$eval(testId('set-password-name'), (el) => el.textContent)).toBe(who.name);
  expect(await page.$eval(testId('set-password-email'), (el) => el.textContent)).toBe(who.email);
  // The rule is checked before anything is sent.
  await fill(page, 'set-password-new', 'short');
  await fill(page, 'set-password-repeat', 'short');
  await page.click(testId('set-password-submit'));
  await page.waitForFunction(() => document.body.textContent?.includes('Пароль должен быть не короче 10 символов'));
  await fill(page, 'set-password-new', password);
  await fill(page, 'set-password-repeat', password);
  if (shot) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, shot);
  }
  await page.click(testId('set-password-submit'));
  await waitForPath(page, '/sign-in');
  await page.waitForSelector(testId('signin-password-set'));
  expect(await page.$eval(testId('signin-email'), (el) => (el as HTMLInputElement).value)).toBe(who.email);
}

async function signIn(page: Page, password: string): Promise<void> {
  await fill(page, 'signin-password', password);
  await page.click(testId('signin-submit'));
}

describe('staff access', () => {
  it(
    'first admin → forced TOTP → creates a specialist → the specialist sees only their own consultations',
    () =>
      withScreenshotsOnFailure(async () => {
        const { prisma } = ctx.product;
        const base = ctx.product.url.replace('127.0.0.1', 'localhost');
        const suffix = randomId(6).toLowerCase();

        // 1. The first admin, as `pnpm admin:create` makes one.
        const adminWho = { email: `admin-${suffix}@example.org`, name: 'Петрова Анна Сергеевна' };
        const first = await issueFirstAdmin(
          prisma,
          { email: adminWho.email, displayName: adminWho.name, departmentName: `Департамент ${suffix}` },
          base,
        );
        expect(first.url).toMatch(new RegExp(`^${base}/set-password/`));

        const admin = await newPage(ctx.browser, 'admin', DESKTOP);
        const adminPassword = 'тихий вечер у реки 2026';
        await setPassword(admin, first.url!, adminWho, adminPassword, 'access-set-password');
        await screenshot(admin, 'access-sign-in');

        // A wrong password says so without telling which part was wrong (the code field is always there, optional).
        await signIn(admin, 'not the password');
        await admin.waitForSelector(testId('signin-error'));
        expect(await admin.$eval(testId('signin-error'), (el) => el.textContent)).toBe(
          'Не удалось войти. Проверьте e-mail и пароль. Если вход защищён кодом из приложения, введите и код.',
        );

        // 2. Signed in without a second factor, an admin can only set one up.
        await signIn(admin, adminPassword);
        await waitForPath(admin, '/account/totp');
        await admin.waitForSelector(testId('totp-secret'));
        await admin.waitForFunction(
          () => (document.querySelector('[data-testid="totp-qr"]') as HTMLImageElement | null)?.complete === true,
        );
        await screenshot(admin, 'access-totp-setup');
        // Any other screen sends them back here.
        await admin.goto(`${base}/admin/staff`, { waitUntil: 'domcontentloaded' });
        await waitForPath(admin, '/account/totp');
        await admin.waitForSelector(testId('totp-secret'));
        const secret = (await admin.$eval(testId('totp-secret'), (el) => el.textContent ?? '')).replace(/\s+/g, '');
        expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
        await typeCode(admin, 'totp-code', generateSync({ secret }));
        await admin.click(testId('totp-enable'));
        await waitForPath(admin, '/staff');
        expect(await admin.$eval(testId('header-user'), (el) => el.textContent)).toBe(adminWho.name);

        // 3. An institution in the admin's department (institutions come from the API, not this page).
        const institution = await prisma.institution.create({
          data: {
            departmentId: first.departmentId,
            name: 'КЦСОН «Надежда»',
            timeZone: 'Asia/Omsk',
            week: {
              '1': { start: '09:00', end: '16:00' },
              '2': { start: '09:00', end: '16:00' },
              '3': { start: '09:00', end: '16:00' },
              '4': { start: '09:00', end: '16:00' },
              '5': { start: '09:00', end: '15:00' },
              '6': null,
              '7': null,
            },
            lunchStart: '13:00',
            lunchEnd: '14:00',
          },
        });

        // 4. The admin creates a specialist and gets the one-time link.
        const specialistWho = { email: `psy-${suffix}@example.org`, name: 'Соколова Ирина Викторовна' };
        await admin.goto(`${base}/admin/staff?institution=${institution.id}`, { waitUntil: 'domcontentloaded' });
        await admin.waitForSelector(`${testId('staff-add')}:not([disabled])`);
        await admin.click(testId('staff-add'));
        await fill(admin, 'create-email', specialistWho.email);
        await fill(admin, 'create-name', specialistWho.name);
        await choose(admin, 'create-role', 'Специалист');
        await choose(admin, 'create-profession', 'Психолог');
        await fill(admin, 'create-title', 'Педагог-психолог');
        await admin.click(testId('create-submit'));
        await admin.waitForSelector(testId('password-link'));
        const specialistLink = await admin.$eval(testId('password-link'), (el) => (el as HTMLInputElement).value);
        expect(specialistLink).toMatch(new RegExp(`^${base}/set-password/`));
        await admin.waitForSelector(`${testId('staff-row')}[data-email="${specialistWho.email}"]`);
        await screenshot(admin, 'access-staff-link');
        await admin.click(testId('password-link-done'));
        await admin.waitForFunction(() => !document.querySelector('.mantine-Modal-overlay'));
        const specialistId = await admin.$eval(`${testId('staff-row')}[data-email="${specialistWho.email}"]`, (el) =>
          el.getAttribute('data-id'),
        );
        expect(await admin.$eval(`${testId('staff-row')}[data-id="${specialistId}"] ${testId('staff-role')}`, (el) => el.textContent)).toBe(
          'Специалист',
        );
        await screenshot(admin, 'access-staff-table');

        // 5. Two consultations in the institution: one with this specialist, one with a colleague.
        const colleague = await prisma.staffUser.create({
          data: {
            email: `colleague-${suffix}@example.org`,
            displayName: 'Лебедев Олег Петрович',
            role: 'specialist',
            institutionId: institution.id,
            departmentId: first.departmentId,
          },
        });
        // Booked through the lifecycle's writer (`planned`, with its first history row).
        const consultation = async (specialist: string, start: Date) => ({
          id: await bookConsultation(
            prisma,
            {
              institutionId: institution.id,
              kind: 'one_to_one',
              direction: 'specialist_client',
              mode: 'planned',
              start,
              durationMinutes: 45,
              topic: 'family',
              specialists: { create: [{ specialistId: specialist }] },
            },
            { actorId: null, at: new Date() },
          ),
        });
        const at = (days: number, hourUtc: number) => {
          const d = new Date(Date.now() + days * DAY);
          d.setUTCHours(hourUtc, 0, 0, 0);
          return d;
        };
        const mine = await consultation(specialistId!, at(2, 4)); // 10:00 in Omsk
        const theirs = await consultation(colleague.id, at(3, 5));

        // 6. The specialist, in another (incognito) context: link → password → sign-in → own consultations.
        const specialist = await newPage(ctx.browser, 'specialist', DESKTOP);
        const specialistPassword = 'зелёные яблоки в саду';
        await setPassword(specialist, specialistLink, specialistWho, specialistPassword);
        await signIn(specialist, specialistPassword);
        await waitForPath(specialist, '/staff');
        await specialist.waitForSelector(testId('consultation-row'));
        const rows = await specialist.$$eval(testId('consultation-row'), (els) => els.map((el) => el.getAttribute('data-id')));
        expect(rows).toEqual([mine.id]);
        expect(rows).not.toContain(theirs.id);
        expect(await specialist.$eval(`${testId('consultation-row')} ${testId('consultation-state')}`, (el) => el.textContent)).toBe(
          'Запланирована',
        );
        expect(await specialist.$eval(testId('consultation-row'), (el) => el.textContent)).toContain('10:00–10:45');
        await screenshot(specialist, 'access-specialist-home');
        await specialist.setViewport(PHONE);
        await screenshot(specialist, 'access-specialist-home-phone');

        // The admin pages stay closed to a specialist.
        await specialist.goto(`${base}/admin/staff`, { waitUntil: 'domcontentloaded' });
        await specialist.waitForSelector(testId('no-access'));

        // 7. The audit log shows what happened, in Russian.
        await admin.goto(`${base}/admin/audit`, { waitUntil: 'domcontentloaded' });
        await admin.waitForSelector(testId('audit-row'));
        const actions = await admin.$$eval(testId('audit-row'), (els) => els.map((el) => el.getAttribute('data-action')));
        expect(actions).toEqual(expect.arrayContaining(['auth.sign_in', 'auth.sign_in_failed', 'account.totp_enabled', 'staff.created']));
        // In words: no dotted action codes or snake_case values on screen.
        expect(await admin.$eval(testId('audit-table'), (el) => el.textContent)).not.toMatch(/\b[a-z]+[._][a-z_]+\b/);
        await screenshot(admin, 'access-audit');
        // The staff page tells who has a password and signed in, and offers a first link to whoever has none.
        await admin.goto(`${base}/admin/staff?institution=${institution.id}`, { waitUntil: 'domcontentloaded' });
        await admin.waitForSelector(`${testId('staff-row')}[data-id="${colleague.id}"]`);
        const rowText = (id: string, what: string) =>
          admin.$eval(`${testId('staff-row')}[data-id="${id}"] ${testId(what)}`, (el) => el.textContent);
        expect(await rowText(colleague.id, 'staff-reset')).toBe('Отправить ссылку для входа');
        expect(await rowText(colleague.id, 'staff-password')).toBe('Пароль ещё не задан');
        expect(await rowText(colleague.id, 'staff-last-sign-in')).toBe('Входов ещё не было');
        expect(await rowText(specialistId!, 'staff-reset')).toBe('Сбросить пароль');
        expect(await rowText(specialistId!, 'staff-password')).toBe('Пароль задан');
        expect(await rowText(specialistId!, 'staff-last-sign-in')).toMatch(/^Последний вход: /);
        await screenshot(admin, 'access-staff-status');
        // At 360 px neither admin page scrolls sideways.
        await admin.setViewport(PHONE);
        const noSideways = () => admin.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
        await admin.goto(`${base}/admin/audit`, { waitUntil: 'domcontentloaded' });
        await admin.waitForSelector(testId('audit-row'));
        expect(await noSideways()).toBe(true);
        await screenshot(admin, 'access-audit-phone');
        await admin.$eval(testId('audit-row'), (el) => el.scrollIntoView());
        await screenshot(admin, 'access-audit-phone-rows');
        await admin.goto(`${base}/admin/staff?institution=${institution.id}`, { waitUntil: 'domcontentloaded' });
        await admin.waitForSelector(testId('staff-row'));
        expect(await noSideways()).toBe(true);
        await screenshot(admin, 'access-staff-phone');
        await admin.$eval(testId('staff-row'), (el) => el.scrollIntoView());
        await screenshot(admin, 'access-staff-phone-rows');

        // 8. Signing out ends the session: the staff pages ask to sign in again.
        await specialist.setViewport(DESKTOP);
        await specialist.goto(`${base}/staff`, { waitUntil: 'domcontentloaded' });
        await specialist.waitForSelector(testId('sign-out'), { visible: true });
        await specialist.click(testId('sign-out'));
        await waitForPath(specialist, '/sign-in');
        await specialist.goto(`${base}/staff`, { waitUntil: 'domcontentloaded' });
        await waitForPath(specialist, '/sign-in');
      }),
    120_000,
  );
});
