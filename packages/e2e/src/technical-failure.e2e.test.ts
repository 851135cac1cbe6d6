import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSmtpCapture, type SmtpCapture } from '../../../apps/signalling/test/smtp-capture.ts';
import { openParticipant, PHONE, screenshot, waitUntil } from './browser.ts';
import { productAndBrowser } from './stack.ts';
import { staffOf } from './staff.ts';

// The seed rule: 30 minutes before, the specialist checks the equipment; if it cannot be
// fixed, the head is told, and the client is told AT ONCE. From the specialist's click on
// «Технический сбой» to the message on the client's open link page and the e-mail that
// reaches a real SMTP server.

let smtp: SmtpCapture;
beforeAll(async () => {
  smtp = await startSmtpCapture();
});
afterAll(async () => {
  await smtp.close();
});

const ctx = productAndBrowser(() => ({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Приёмная <priem@example.org>' }));
const testId = (id: string) => `[data-testid="${id}"]`;

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
      async () => smtp.mails.some((m) => m.headers.get('to') !== undefined && JSON.stringify(m.to).includes('anna.petrova@example.org')),
      'the e-mail to the client',
      15_000,
    );
    const mail = smtp.mails.find((m) => JSON.stringify(m.to).includes('anna.petrova@example.org'))!;
    expect(mail.text ?? '').toMatch(/не работает оборудование/);
    expect(mail.text ?? '').toContain('Asia/Omsk');
    const sent = await prisma.notification.findMany({ where: { consultationId, kind: 'technical_failure' } });
    expect(sent.map((n) => [n.recipient, n.status])).toEqual([['anna.petrova@example.org', 'sent']]);
    expect(sent[0]!.sentAt!.getTime() - clickedAt).toBeLessThan(15_000);

    // The head's alert (an in-app notification) and a failed pre-check in the record.
    expect(await prisma.auditEvent.count({ where: { action: 'notification.technical_failure', targetId: head.id } })).toBe(1);
    expect((await prisma.precheckResult.findMany({ where: { consultationId } })).map((p) => p.passed)).toEqual([false]);

    for (const p of [client, page]) await p.browserContext().close();
  }, 90_000);
});
