import { describe, expect, it } from '@jest/globals';
import { openParticipant, PHONE, screenshot, waitUntil } from './browser.ts';
import { productWithMail } from './stack.ts';
import { staffOf } from './staff.ts';

// The seed rule: 30 minutes before, the specialist checks the equipment; if it cannot be
// fixed, the head is told, and the client is told AT ONCE. From the specialist's click on
// «Технический сбой» to the message on the client's open link page and the e-mail that
// reaches a real SMTP server; then the head sets a new time on screen, and the client's open
// page counts down to it, marked as moved, and the client gets the e-mail.

const ctx = productWithMail();
const testId = (id: string) => `[data-testid="${id}"]`;

/** Today and the next 40 days, 'YYYY-MM-DD' (the specialist's approved schedule for the new time). */
function workDays(): string[] {
  const now = new Date();
  return Array.from({ length: 41 }, (_, i) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + i)).toISOString().slice(0, 10),
  );
}

describe('a technical failure at the pre-check', () => {
  it('reaches the client at once: on the open link page and by e-mail; the head gets the alert', async () => {
    const name = `failure-${Date.now()}`;
    const start = new Date(Date.now() + 20 * 60_000); // in the pre-check window
    const clientLink = await ctx.product.link(name, 'client', '', { start, state: 'precheck', displayName: 'Петрова Анна' });
    const { prisma } = ctx.product;
    const consultationId = ctx.product.consultationId(name);
    await prisma.participant.updateMany({ where: { consultationId, role: 'client' }, data: { email: 'anna.petrova@example.org' } });
    const specialist = await staffOf(prisma, consultationId, 'specialist', 'Соколова Ирина Викторовна');
    const head = await staffOf(prisma, consultationId, 'head', 'Орлова Татьяна Петровна');
    await prisma.consultationSpecialist.create({ data: { consultationId, specialistId: specialist.id } });
    await prisma.participant.create({
      data: { consultationId, role: 'specialist', staffUserId: specialist.id, displayName: specialist.displayName },
    });

    // The client waits on its link page (the countdown), on a phone.
    const client = await openParticipant(ctx.browser, clientLink, PHONE);
    await client.waitForSelector(`${testId('link-schedule')}[data-status="upcoming"]`);

    // The specialist, signed in, sees the consultation in its pre-check and reports the failure.
    const page = await (await ctx.browser.createBrowserContext()).newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const base = ctx.product.url.replace('127.0.0.1', 'localhost');
    await page.goto(`${base}/`, { waitUntil: 'domcontentloaded' });
    await specialist.signIn(page);
    await page.goto(`${base}/staff`, { waitUntil: 'domcontentloaded' });
    const row = `${testId('consultation-row')}[data-id="${consultationId}"]`;
    await page.waitForSelector(`${row} ${testId('technical-failure')}`, { timeout: 15_000 });
    await page.click(`${row} ${testId('technical-failure')}`);
    await page.waitForSelector(testId('technical-failure-confirm'), { visible: true });
    await new Promise((r) => setTimeout(r, 400)); // the dialog fades in
    await screenshot(page, 'technical-failure-confirm');
    const clickedAt = Date.now();
    await page.click(testId('technical-failure-confirm'));
    await page.waitForSelector(`${row} ${testId('technical-failure-reported')}`, { timeout: 10_000 });

    // The client's open page says so by itself (no reload), within its 15 s re-check.
    await client.waitForSelector(`${testId('link-schedule')}[data-status="technical_failure"]`, { timeout: 20_000 });
    expect(await client.$eval('h1', (el) => el.textContent)).toBe('У специалиста технический сбой');
    await screenshot(client, 'technical-failure-client-phone');

    // … and by e-mail.
    await waitUntil(
      async () =>
        ctx.smtp.mails.some((m) => m.headers.get('to') !== undefined && JSON.stringify(m.to).includes('anna.petrova@example.org')),
      'the e-mail to the client',
      15_000,
    );
    const mail = ctx.smtp.mails.find((m) => JSON.stringify(m.to).includes('anna.petrova@example.org'))!;
    expect(mail.text ?? '').toMatch(/не работает оборудование/);
    expect(mail.text ?? '').toContain('Asia/Omsk');
    const sent = await prisma.notification.findMany({ where: { consultationId, kind: 'technical_failure' } });
    expect(sent.map((n) => [n.recipient, n.status])).toEqual([['anna.petrova@example.org', 'sent']]);
    expect(sent[0]!.sentAt!.getTime() - clickedAt).toBeLessThan(15_000);

    // The head's alert (an in-app notification) and a failed pre-check in the record.
    expect(await prisma.auditEvent.count({ where: { action: 'notification.technical_failure', targetId: head.id } })).toBe(1);
    expect((await prisma.precheckResult.findMany({ where: { consultationId } })).map((p) => p.passed)).toEqual([false]);

    // The head sets a new time on screen: «Сбои и переносы» → «Назначить новое время» → the
    // first free slot of the specialist's approved month.
    for (const month of [...new Set(workDays().map((d) => d.slice(0, 7)))]) {
      await prisma.specialistMonthSchedule.upsert({
        where: { specialistId_month: { specialistId: specialist.id, month } },
        create: {
          specialistId: specialist.id,
          month,
          status: 'approved',
          approvedAt: new Date(),
          blocks: {
            create: workDays()
              .filter((d) => d.startsWith(month))
              .map((date) => ({ date, start: '09:00', end: '18:00' })),
          },
        },
        update: {},
      });
    }
    const hp = await (await ctx.browser.createBrowserContext()).newPage();
    await hp.setViewport({ width: 1280, height: 800 });
    await hp.goto(`${base}/sign-in`, { waitUntil: 'domcontentloaded' });
    await head.signIn(hp);
    await hp.goto(`${base}/failures`, { waitUntil: 'networkidle0' });
    await hp.waitForSelector(`${testId('failure-row')}`, { timeout: 15_000 });
    const mailsBefore = ctx.smtp.mails.length;
    await hp.click(testId('failure-reschedule'));
    const day = await hp.waitForSelector(`${testId('booking-day')}[data-free="true"]:not([data-outside])`, { timeout: 20_000 });
    await day!.click();
    const slot = await hp.waitForSelector(testId('booking-slot'), { timeout: 10_000 });
    await slot!.click();
    await hp.click(testId('slot-confirm'));
    await hp.waitForSelector(testId('failures-empty'), { timeout: 15_000 });
    const moved = await prisma.consultation.findUniqueOrThrow({ where: { id: consultationId } });
    expect([moved.state, moved.changeReason, moved.start.getTime() > start.getTime()]).toEqual(['planned', 'technical', true]);

    // The client's open page, without a reload, counts down to the new time and shows the move …
    await client.waitForSelector(`${testId('link-schedule')}[data-status="upcoming"]`, { timeout: 20_000 });
    await client.waitForSelector(testId('link-moved'), { timeout: 5_000 });
    const countdown = await client.$eval(testId('countdown'), (el) => el.textContent ?? '');
    expect(countdown).toMatch(/^Вход откроется через (\d+ ч )?\d+ мин \d+ с\.$/);
    const left = (moved.start.getTime() - Date.now()) / 3_600_000;
    const shownHours = Number(/через (\d+) ч/.exec(countdown)?.[1] ?? 0);
    expect(Math.abs(shownHours - Math.floor(left))).toBeLessThanOrEqual(1);
    await screenshot(client, 'technical-failure-new-time-client-phone');

    // … and the e-mail of the move reached the client, with the reason in the client's words.
    // (By its subject: within two hours of the old start the T−2h reminder may reach the client too.)
    const moveMail = () =>
      ctx.smtp.mails
        .slice(mailsBefore)
        .find((m) => JSON.stringify(m.to).includes('anna.petrova@example.org') && /перенесена/.test(m.subject ?? ''));
    await waitUntil(async () => moveMail() !== undefined, 'the e-mail of the new time', 15_000);
    const news = moveMail()!;
    expect(news.text ?? '').toContain('Причина: технические причины.');
    expect((await prisma.notification.findMany({ where: { consultationId, kind: 'rescheduled' } })).map((n) => n.status)).toEqual(['sent']);

    for (const p of [client, page, hp]) await p.browserContext().close();
  }, 150_000);
});
