// «Специалист заболел» (consultations.specialist_absence): a specialist's day handed to free
// colleagues of the same profession or moved to another date, all or nothing, through the real
// API on a real PostgreSQL, the clients e-mailed by the real Notifier (smtp-capture).
// Omsk is UTC+6: 10:00 local = 04:00Z. March 2026: the 3rd is a Tuesday.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { Consultation, Institution, SpecialistAbsenceResult } from '@dp/protocol';
import type { Notifier } from '../../src/notify/index.ts';
import type { SmtpCapture } from '../smtp-capture.ts';
import { OMSK_CALENDAR, createTestDatabase, startApi, startMail, type ApiUnderTest, type Identity } from './support.ts';

const NOW = new Date('2026-03-01T00:00:00Z');

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let smtp: SmtpCapture;
let notifier: Notifier;
let institution: Institution;
let head: Identity;
let ill: Identity;
let belova: Identity;
let sokolova: Identity;

async function approved(specialistId: string, dates: string[]) {
  await prisma.specialistMonthSchedule.create({
    data: {
      specialistId,
      month: '2026-03',
      status: 'approved',
      approvedAt: NOW,
      blocks: { create: dates.map((date) => ({ date, start: '09:00', end: '16:00' })) },
    },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  ({ smtp, notifier } = await startMail(prisma));
  api = await startApi({ prisma, now: NOW, notifier });
  const created = await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR });
  institution = created.body;
  head = await api.staff('head', institution.id);
  ill = await api.staff('specialist', institution.id);
  belova = await api.staff('specialist', institution.id);
  sokolova = await api.staff('specialist', institution.id);
  await prisma.staffUser.update({ where: { id: belova.user.id }, data: { displayName: 'Белова Ирина' } });
  await prisma.staffUser.update({ where: { id: sokolova.user.id }, data: { displayName: 'Соколова Мария' } });
  await approved(ill.user.id, ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-10']);
  await approved(belova.user.id, ['2026-03-03', '2026-03-04']);
  await approved(sokolova.user.id, ['2026-03-03', '2026-03-04']);
}, 60_000);

afterAll(async () => {
  await notifier?.close();
  await api?.close();
  await smtp?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const book = async (specialist: Identity, start: string, email?: string) => {
  const res = await api.as(head).post<Consultation>(`/institutions/${institution.id}/consultations`, {
    kind: 'one_to_one',
    direction: 'specialist_client',
    mode: 'on_request',
    specialistIds: [specialist.user.id],
    start,
    durationMinutes: 45,
    clients: [{ displayName: 'Петрова Анна', ...(email ? { email } : {}) }],
  });
  expect(res.status).toBe(201);
  return res.body;
};
const absence = (body: object) =>
  api.as(head).post<SpecialistAbsenceResult>(`/institutions/${institution.id}/specialist-absence`, { specialistId: ill.user.id, ...body });
const specialistsOf = async (id: string) =>
  (await prisma.consultationSpecialist.findMany({ where: { consultationId: id } })).map((s) => s.specialistId);

describe('reassign the day', () => {
  let at10: Consultation;
  let at12: Consultation;

  beforeAll(async () => {
    at10 = await book(ill, '2026-03-03T04:00:00Z', 'family10@example.org'); // 10:00
    at12 = await book(ill, '2026-03-03T06:00:00Z', 'family12@example.org'); // 12:00
    await book(sokolova, '2026-03-03T04:00:00Z'); // Соколова is busy at 10:00
    await book(belova, '2026-03-03T06:15:00Z'); // Белова is busy around 12:00 (the pre-check window too)
  });

  test('the preview says who takes each one and changes nothing', async () => {
    const res = await absence({ date: '2026-03-03', mode: 'reassign', preview: true });
    expect(res.status).toBe(200);
    expect(res.body.applied).toBe(false);
    expect(res.body.items.map((i) => [i.consultation.id, i.newSpecialist?.displayName, i.problem])).toEqual([
      [at10.id, 'Белова Ирина', null],
      [at12.id, 'Соколова Мария', null],
    ]);
    expect(await specialistsOf(at10.id)).toEqual([ill.user.id]);
    expect(await prisma.staffNotice.count({ where: { kind: 'reassigned' } })).toBe(0);
  });

  test('a social worker or the specialist may not do it', async () => {
    const worker = await api.staff('social_worker', institution.id);
    const res = await api
      .as(worker)
      .post(`/institutions/${institution.id}/specialist-absence`, { specialistId: ill.user.id, date: '2026-03-03', mode: 'reassign' });
    expect(res.status).toBe(403);
  });

  test('applied: the colleagues take them, the clients are told the new name «по болезни специалиста», the bell rings', async () => {
    const from = smtp.mails.length;
    const res = await absence({ date: '2026-03-03', mode: 'reassign' });
    expect(res.status).toBe(200);
    expect(res.body.applied).toBe(true);
    expect(await specialistsOf(at10.id)).toEqual([belova.user.id]);
    expect(await specialistsOf(at12.id)).toEqual([sokolova.user.id]);
    const staffRow = await prisma.participant.findFirstOrThrow({ where: { consultationId: at10.id, role: 'specialist' } });
    expect(staffRow).toMatchObject({ staffUserId: belova.user.id, displayName: 'Белова Ирина' });
    await notifier.idle();
    const mails = smtp.mails.slice(from);
    const to10 = mails.find((m) => JSON.stringify(m.to).includes('family10@example.org'));
    expect(to10?.subject).toContain('другой специалист');
    expect(to10?.text).toContain('Белова Ирина');
    expect(to10?.text).toContain('Причина: по болезни специалиста.');
    expect(to10?.text).toContain('Время прежнее: вторник, 3 марта 2026 г., 10:00');
    const notices = await prisma.staffNotice.findMany({ where: { kind: 'reassigned' } });
    expect(notices.map((n) => [n.recipientId, n.consultationId]).sort()).toEqual(
      [
        [belova.user.id, at10.id],
        [sokolova.user.id, at12.id],
      ].sort(),
    );
    expect(await prisma.auditEvent.count({ where: { action: 'consultation.reassigned' } })).toBe(2);
    expect(api.timetableCalls).toEqual(expect.arrayContaining([at10.id, at12.id]));
  });

  test('one consultation nobody can take refuses the whole batch, naming it', async () => {
    const free = await book(ill, '2026-03-04T04:00:00Z'); // 10:00: Белова and Соколова are free
    const taken = await book(ill, '2026-03-04T08:30:00Z'); // 14:30: both are busy
    await book(belova, '2026-03-04T08:30:00Z');
    await book(sokolova, '2026-03-04T08:30:00Z');
    const res = await absence({ date: '2026-03-04', mode: 'reassign' });
    expect(res.status).toBe(409);
    expect(res.error.details).toEqual({ [taken.id]: expect.stringContaining('nobody') });
    expect(await specialistsOf(free.id)).toEqual([ill.user.id]);
    expect(await specialistsOf(taken.id)).toEqual([ill.user.id]);
  });
});

describe('move the day', () => {
  test('the same times on another date; the clients told «по болезни специалиста»; a day without a schedule is refused whole', async () => {
    const a = await book(ill, '2026-03-05T03:30:00Z', 'move-a@example.org'); // 09:30
    const b = await book(ill, '2026-03-05T05:00:00Z'); // 11:00, no e-mail: the day board lists the family
    const refused = await absence({ date: '2026-03-05', mode: 'move', toDate: '2026-03-11' });
    expect(refused.status).toBe(409);
    expect(Object.keys(refused.error.details as object).sort()).toEqual([a.id, b.id].sort());
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id: a.id } })).start.toISOString()).toBe('2026-03-05T03:30:00.000Z');

    const from = smtp.mails.length;
    const res = await absence({ date: '2026-03-05', mode: 'move', toDate: '2026-03-10' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => i.newStart)).toEqual(['2026-03-10T03:30:00.000Z', '2026-03-10T05:00:00.000Z']);
    const moved = await prisma.consultation.findUniqueOrThrow({ where: { id: a.id } });
    expect(moved).toMatchObject({ start: new Date('2026-03-10T03:30:00Z'), changeReason: 'specialist_ill', state: 'planned' });
    await notifier.idle();
    const mail = smtp.mails.slice(from).find((m) => m.subject?.includes('перенесена'));
    expect(mail?.text).toContain('Причина: по болезни специалиста.');
    expect(mail?.text).toContain('Новое время: вторник, 10 марта 2026 г., 09:30');
    const skipped = await prisma.notification.findMany({ where: { consultationId: b.id, kind: 'rescheduled', status: 'skipped' } });
    expect(skipped).toHaveLength(1);
  });
});
