// The telephone and e-mail forms of distance consultation against the real server, database
// and SMTP capture: a phone booking holds its time without a pre-check window and plans no room
// jobs' mail; its outcome goes through the lifecycle writer; an e-mail consultation holds no
// time, and its answer goes out over SMTP, is kept with the request, and completes it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { allocateRequestNumber, createPrisma, type PrismaClient } from '@dp/db';
import type { Consultation, ConsultationHistory, EmailAnswerList, EmailAnswerView, FreeSlots, Institution } from '@dp/protocol';
import type { Notifier } from '../../src/notify/index.ts';
import type { SmtpCapture } from '../smtp-capture.ts';
import { OMSK_CALENDAR, createTestDatabase, startApi, startMail, type ApiUnderTest, type Identity } from './support.ts';

const NOW = new Date('2026-03-01T00:00:00Z');
const CLIENT_EMAIL = 'family@example.org';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let smtp: SmtpCapture;
let notifier: Notifier;
let institution: Institution;
let head: Identity;
let specialist: Identity;
let other: Identity;
let worker: Identity;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  ({ smtp, notifier } = await startMail(prisma));
  // The clock moves days ahead: sessions must outlive it.
  api = await startApi({ prisma, now: NOW, notifier, session: { idleSeconds: 30 * 86400, absoluteSeconds: 60 * 86400 } });
  const created = await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR });
  expect(created.status).toBe(201);
  institution = created.body;
  head = await api.staff('head', institution.id);
  specialist = await api.staff('specialist', institution.id);
  other = await api.staff('specialist', institution.id);
  worker = await api.staff('social_worker', institution.id);
  await prisma.specialistMonthSchedule.create({
    data: {
      specialistId: specialist.user.id,
      month: '2026-03',
      status: 'approved',
      approvedAt: NOW,
      blocks: { create: ['2026-03-03', '2026-03-04'].map((date) => ({ date, start: '09:00', end: '16:00' })) },
    },
  });
}, 60_000);

afterAll(async () => {
  await notifier?.close();
  await api?.close();
  await smtp?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const booking = (form: 'online' | 'phone' | 'email', start: string, extra: Record<string, unknown> = {}) => ({
  kind: 'one_to_one',
  direction: 'specialist_client',
  mode: 'on_request',
  form,
  specialistIds: [specialist.user.id],
  start,
  durationMinutes: 30,
  clients: [{ displayName: 'Петрова Анна', email: CLIENT_EMAIL }],
  ...extra,
});
const book = (form: 'online' | 'phone' | 'email', start: string, extra: Record<string, unknown> = {}) =>
  api.as(worker).post<Consultation>(`/institutions/${institution.id}/consultations`, booking(form, start, extra));

async function mailsSince(from: number) {
  await notifier.idle();
  return smtp.mails.slice(from);
}

async function newRequest(): Promise<string> {
  const number = await allocateRequestNumber(prisma, institution.id, 2026);
  const r = await prisma.request.create({
    data: {
      institutionId: institution.id,
      year: 2026,
      number,
      receivedAt: NOW,
      channel: 'email',
      contact: CLIENT_EMAIL,
      fromWhom: 'Мать ребёнка',
      reason: 'Трудности в школе',
      responsibleSpecialistId: specialist.user.id,
    },
  });
  return r.id;
}

describe('by telephone', () => {
  test('holds its time without a pre-check window: 09:00 at opening is bookable by phone, not online', async () => {
    const online = await book('online', '2026-03-03T03:00:00Z'); // 09:00 Omsk: the pre-check would start at 08:30
    expect(online.status).toBe(422);
    const before = smtp.mails.length;
    const phone = await book('phone', '2026-03-03T03:00:00Z');
    expect(phone.status).toBe(201);
    expect(phone.body.form).toBe('phone');
    // The invitation says the client will be called, and carries no link.
    const [mail] = await mailsSince(before);
    expect(mail?.text).toContain('Вам позвонят по телефону');
    expect(mail?.text).toContain('09:00');
    expect(mail?.text).not.toContain('/join/');
    // It holds its own time: another phone one cannot overlap it …
    expect((await book('phone', '2026-03-03T03:15:00Z')).status).toBe(409);
    // … an online one right after it needs its pre-check free (09:30 − 30 min meets 09:00–09:30) …
    expect((await book('online', '2026-03-03T03:30:00Z')).status).toBe(409);
    // … and another phone one may follow back to back.
    expect((await book('phone', '2026-03-03T03:30:00Z')).status).toBe(201);
    const slots = await api
      .as(worker)
      .get<FreeSlots>(
        `/institutions/${institution.id}/specialists/${specialist.user.id}/free-slots?from=2026-03-03T00:00:00Z&to=2026-03-03T12:00:00Z&durationMinutes=30&form=phone`,
      );
    expect(slots.status).toBe(200);
    expect(slots.body.slots).toContain('2026-03-03T04:00:00.000Z');
    expect(slots.body.slots).not.toContain('2026-03-03T03:00:00.000Z');
  });

  test('the outcome: refused before the time, then «Состоялась» ends it with the actual duration via the lifecycle', async () => {
    const phone = await book('phone', '2026-03-04T03:00:00Z');
    expect(phone.status).toBe(201);
    const path = `/consultations/${phone.body.id}/phone-outcome`;
    expect((await api.as(specialist).post(path, { outcome: 'held', actualMinutes: 25 })).status).toBe(409);
    api.clock.now = new Date('2026-03-04T03:40:00Z');
    try {
      const bad = await api.as(specialist).post(path, { outcome: 'held' });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.error.details as object)).toContain('actualMinutes');
      // Another specialist of the institution is not its specialist (404: never confirmed to them).
      expect((await api.as(other).post(path, { outcome: 'held', actualMinutes: 25 })).status).toBe(404);
      const held = await api.as(specialist).post<Consultation>(path, { outcome: 'held', actualMinutes: 25 });
      expect(held.status).toBe(200);
      expect(held.body.state).toBe('ended');
      expect(held.body.endedAt).toBe('2026-03-04T03:40:00.000Z');
      expect(held.body.startedAt).toBe('2026-03-04T03:15:00.000Z');
      const history = await api.as(specialist).get<ConsultationHistory>(`/consultations/${phone.body.id}/history`);
      expect(history.body.transitions.map((t) => [t.event, t.toState])).toEqual([
        ['book', 'planned'],
        ['held_by_phone', 'ended'],
      ]);
      // Once recorded, it cannot be recorded again.
      expect((await api.as(specialist).post(path, { outcome: 'not_reached' })).status).toBe(409);
    } finally {
      api.clock.now = NOW;
    }
  });

  test('«Не дозвонились» is a no-show; an online consultation has no phone outcome', async () => {
    const phone = await book('phone', '2026-03-04T05:00:00Z');
    const online = await book('online', '2026-03-04T08:30:00Z');
    expect([phone.status, online.status]).toEqual([201, 201]);
    api.clock.now = new Date('2026-03-04T09:00:00Z');
    try {
      const missed = await api
        .as(specialist)
        .post<Consultation>(`/consultations/${phone.body.id}/phone-outcome`, { outcome: 'not_reached' });
      expect([missed.status, missed.body.state]).toEqual([200, 'no_show']);
      const wrong = await api.as(specialist).post(`/consultations/${online.body.id}/phone-outcome`, { outcome: 'not_reached' });
      expect(wrong.status).toBe(409);
    } finally {
      api.clock.now = NOW;
    }
  });
});

describe('by e-mail', () => {
  test('holds no time, is answered over SMTP, kept with the request, which is completed', async () => {
    const requestId = await newRequest();
    // Booked at a taken time (09:00 holds a phone consultation): an e-mail one holds no time.
    const mail = await book('email', '2026-03-03T03:00:00Z', { requestId });
    expect(mail.status).toBe(201);
    expect(mail.body.form).toBe('email');
    expect(mail.body.start).toBe(NOW.toISOString());
    const before = smtp.mails.length;
    const text = 'Здравствуйте! Рекомендую обратиться к школьному психологу и вести дневник наблюдений.';
    // The social worker may read the answers, not write them.
    expect((await api.as(worker).post(`/consultations/${mail.body.id}/email-answer`, { body: text })).status).toBe(403);
    expect((await api.as(specialist).post(`/consultations/${mail.body.id}/email-answer`, { body: '   ' })).status).toBe(400);
    const sent = await api.as(specialist).post<EmailAnswerView>(`/consultations/${mail.body.id}/email-answer`, { body: text });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ status: 'sent', toAddress: CLIENT_EMAIL, body: text, requestId });
    const got = (await mailsSince(before)).filter((m) => m.text?.includes('школьному психологу'));
    expect(got).toHaveLength(1);
    expect(got[0]!.subject).toContain('Ответ на ваше обращение');
    const kept = await api.as(worker).get<EmailAnswerList>(`/consultations/${mail.body.id}/email-answers`);
    expect(kept.status).toBe(200);
    expect(kept.body.answers.map((a) => a.body)).toEqual([text]);
    const after = await api.as(specialist).get<Consultation>(`/consultations/${mail.body.id}`);
    expect(after.body.state).toBe('ended');
    // Completed, decided when the answer went out (the report's «answered on time» reads it).
    const request = await prisma.request.findUniqueOrThrow({ where: { id: requestId } });
    const answer = await prisma.emailAnswer.findUniqueOrThrow({ where: { id: sent.body.id } });
    expect(request).toMatchObject({ status: 'completed', decidedAt: answer.sentAt });
    expect(answer.sentAt).toBeInstanceOf(Date);
    // Answered once: a second answer is refused.
    expect((await api.as(specialist).post(`/consultations/${mail.body.id}/email-answer`, { body: text })).status).toBe(409);
    // The text is the record, never the audit's.
    const events = await prisma.auditEvent.findMany({ where: { targetId: mail.body.id }, select: { action: true, details: true } });
    expect(events.map((e) => e.action)).toContain('consultation.email_answer');
    expect(JSON.stringify(events)).not.toContain('психологу');
  });

  test('a telephone or e-mail form only for one-to-one consultations', async () => {
    const res = await api.as(head).post(`/institutions/${institution.id}/consultations`, {
      ...booking('phone', '2026-03-04T09:00:00Z'),
      kind: 'webinar',
      direction: 'specialist_client',
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.error.details as object)).toContain('form');
  });
});
