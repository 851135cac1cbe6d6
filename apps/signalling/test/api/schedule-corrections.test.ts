// Corrections of an approved month on a real PostgreSQL: while one waits, the approved blocks
// keep offering time; a head approves (refused while it would drop booked time) or rejects it;
// an urgent change by a head applies at once; a new month starts from the last one or from the
// working hours. Omsk is UTC+6; March 2026: the 2nd is a Monday, the 9th a day off.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { FreeSlots, Institution, MonthSchedule, ScheduleSuggestion } from '@dp/protocol';
import { bookConsultation } from '../../src/consultations/lifecycle-writer.ts';
import { OMSK_CALENDAR, createTestDatabase, startApi, type ApiUnderTest, type Identity } from './support.ts';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let institution: Institution;
let head: Identity;
let specialist: Identity;
let booked: string;

const NOW = new Date('2026-03-01T00:00:00Z');
const MARCH_3 = ['2026-03-02T18:00:00Z', '2026-03-03T18:00:00Z'] as const;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  api = await startApi({ prisma, now: NOW, session: { idleSeconds: 86400, absoluteSeconds: 86400 } });
  institution = (await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR })).body;
  head = await api.staff('head', institution.id);
  specialist = await api.staff('specialist', institution.id);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const path = (month = '2026-03', who = () => specialist.user.id) =>
  `/institutions/${institution.id}/specialists/${who()}/schedules/${month}`;
const localStarts = (slots: FreeSlots) => slots.slots.map((s) => new Date(Date.parse(s) + 6 * 3600_000).toISOString().slice(11, 16));
const freeOnMarch3 = async () =>
  (
    await api.get<FreeSlots>(
      `/institutions/${institution.id}/specialists/${specialist.user.id}/free-slots?from=${MARCH_3[0]}&to=${MARCH_3[1]}&durationMinutes=60`,
    )
  ).body;
const day = (date: string, start = '09:00', end = '16:00') => ({ date, start, end });
const actions = async () =>
  (await prisma.auditEvent.findMany({ where: { action: { startsWith: 'schedule.' } }, orderBy: { at: 'asc' } })).map((e) => e.action);

describe('a correction waits while the approved month keeps offering time', () => {
  test('drafted by the specialist, approved by the head, a consultation booked into it', async () => {
    const draft = await api.as(specialist).put<MonthSchedule>(path(), { blocks: [day('2026-03-03'), day('2026-03-04')] });
    expect(draft.body).toMatchObject({ status: 'draft', correction: null, history: [], approvedByName: null });
    const approved = await api.as(head).post<MonthSchedule>(`${path()}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'approved', approvedById: head.user.id, approvedByName: head.user.displayName });
    // Booked through the lifecycle's writer (the booking route's own checks are timetable.test.ts's).
    booked = await bookConsultation(
      prisma,
      {
        institutionId: institution.id,
        kind: 'one_to_one',
        direction: 'specialist_client',
        mode: 'on_request',
        start: new Date('2026-03-03T04:00:00Z'), // 10:00 in Omsk
        durationMinutes: 60,
        specialists: { create: [{ specialistId: specialist.user.id }] },
        participants: {
          create: [
            { role: 'specialist', staffUserId: specialist.user.id, displayName: 'Специалист' },
            { role: 'client', displayName: 'Клиент' },
          ],
        },
      },
      { actorId: null, at: NOW },
    );
  });

  test("the specialist's change is stored as a correction: the approved blocks and free slots stay", async () => {
    const before = localStarts(await freeOnMarch3());
    expect(before.length).toBeGreaterThan(0);
    const put = await api.as(specialist).put<MonthSchedule>(path(), { blocks: [day('2026-03-04')] });
    expect(put.status).toBe(200);
    expect(put.body.status).toBe('approved');
    expect(put.body.blocks).toEqual([day('2026-03-03'), day('2026-03-04')]);
    expect(put.body.correction).toMatchObject({
      status: 'pending',
      blocks: [day('2026-03-04')],
      proposedById: specialist.user.id,
      proposedByName: specialist.user.displayName,
      decidedAt: null,
    });
    expect(localStarts(await freeOnMarch3())).toEqual(before);
    expect(await actions()).toContain('schedule.correction_proposed');
  });

  test('a specialist may approve neither the correction nor an urgent change', async () => {
    expect((await api.as(specialist).post(`${path()}/correction/approve`, {})).status).toBe(403);
    expect((await api.as(specialist).post(`${path()}/correction/reject`, {})).status).toBe(403);
    expect((await api.as(specialist).put(`${path()}/urgent`, { blocks: [] })).status).toBe(403);
    expect((await api.as(head).get<MonthSchedule>(path())).body.correction?.status).toBe('pending');
  });

  test('approving a correction that drops booked time is refused with the consultation named', async () => {
    const refused = await api.as(head).post(`${path()}/correction/approve`, {});
    expect(refused.status).toBe(409);
    expect(refused.error).toMatchObject({
      code: 'conflict',
      details: { consultations: [{ id: booked, start: '2026-03-03T04:00:00.000Z', durationMinutes: 60 }] },
    });
    const still = (await api.as(head).get<MonthSchedule>(path())).body;
    expect(still.blocks).toHaveLength(2);
    expect(still.correction?.status).toBe('pending');
  });

  test('a new proposal replaces the pending one; approved, its blocks are in force and the history says who', async () => {
    api.clock.now = new Date('2026-03-01T01:00:00Z');
    const put = await api.as(specialist).put<MonthSchedule>(path(), { blocks: [day('2026-03-03', '09:00', '12:00'), day('2026-03-04')] });
    expect(put.body.correction?.blocks).toHaveLength(2);
    expect(await prisma.scheduleCorrection.count({ where: { scheduleId: put.body.id } })).toBe(1);
    const approved = await api.as(head).post<MonthSchedule>(`${path()}/correction/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      blocks: [day('2026-03-03', '09:00', '12:00'), day('2026-03-04')],
      correction: null,
      approvedById: head.user.id,
      approvedAt: '2026-03-01T01:00:00.000Z',
    });
    expect(approved.body.history).toEqual([
      expect.objectContaining({
        status: 'approved',
        decidedById: head.user.id,
        decidedByName: head.user.displayName,
        decidedAt: '2026-03-01T01:00:00.000Z',
      }),
    ]);
    // 10:00–11:00 is booked; 09:30 and later would overlap it or run past 12:00.
    expect(localStarts(await freeOnMarch3())).toEqual([]);
    expect((await api.as(head).post(`${path()}/correction/approve`, {})).status).toBe(404);
  });

  test("a head's own non-urgent edit is a correction too; rejected, nothing changes", async () => {
    const put = await api.as(head).put<MonthSchedule>(path(), { blocks: [day('2026-03-03', '09:00', '12:00')] });
    expect(put.body.correction).toMatchObject({ status: 'pending', proposedById: head.user.id });
    const rejected = await api.as(head).post<MonthSchedule>(`${path()}/correction/reject`, {});
    expect(rejected.status).toBe(200);
    expect(rejected.body.correction).toBeNull();
    expect(rejected.body.blocks).toHaveLength(2);
    expect(rejected.body.history.map((c) => c.status)).toEqual(['rejected', 'approved']);
    expect((await api.as(head).post(`${path()}/correction/reject`, {})).status).toBe(404);
  });

  test('an urgent change by the head applies at once, unless it drops booked time', async () => {
    const refused = await api.as(head).put(`${path()}/urgent`, { blocks: [day('2026-03-04')] });
    expect(refused.status).toBe(409);
    expect(refused.error.details).toEqual({ consultations: [expect.objectContaining({ id: booked })] });
    const changed = await api.as(head).put<MonthSchedule>(`${path()}/urgent`, {
      blocks: [day('2026-03-03', '09:00', '12:00'), day('2026-03-04', '10:00', '15:00')],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      status: 'approved',
      correction: null,
      blocks: [day('2026-03-03', '09:00', '12:00'), day('2026-03-04', '10:00', '15:00')],
    });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'schedule.changed_urgently' } });
    expect(audit).toMatchObject({ actorId: head.user.id, targetId: changed.body.id });
    expect(await actions()).toEqual([
      'schedule.updated',
      'schedule.approved',
      'schedule.correction_proposed',
      'schedule.correction_proposed',
      'schedule.correction_approved',
      'schedule.correction_proposed',
      'schedule.correction_rejected',
      'schedule.changed_urgently',
    ]);
    // A draft month is saved and approved as usual, not changed urgently.
    expect((await api.as(head).put(`${path('2026-05')}/urgent`, { blocks: [] })).status).toBe(404);
  });
});

describe('starting a month', () => {
  test('«Заполнить по рабочим часам»: every working day, hours minus lunch; days off left out', async () => {
    const res = await api.as(specialist).get<ScheduleSuggestion>(`${path('2026-03')}/suggestion?source=working_hours`);
    expect(res.status).toBe(200);
    const on = (date: string) => res.body.blocks.filter((b) => b.date === date).map((b) => `${b.start}-${b.end}`);
    expect(on('2026-03-03')).toEqual(['09:00-13:00', '14:00-16:00']);
    expect(on('2026-03-13')).toEqual(['09:00-13:00', '14:00-15:00']); // Friday
    expect(on('2026-03-07')).toEqual([]); // Saturday
    expect(on('2026-03-09')).toEqual([]); // the institution's day off
    expect(await prisma.specialistMonthSchedule.count({ where: { month: '2026-03', specialistId: specialist.user.id } })).toBe(1);
  });

  test('«Скопировать прошлый месяц»: the same weekdays, clipped to the hours, nothing on days off', async () => {
    const other = await api.staff('specialist', institution.id);
    const mondays = ['2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23'].map((d) => day(d, '09:00', '12:00'));
    const put = await api.put(
      path('2026-02', () => other.user.id),
      { blocks: [...mondays, day('2026-02-05', '15:00', '17:00')] },
    );
    expect(put.status).toBe(200);
    const res = await api.as(head).get<ScheduleSuggestion>(`${path('2026-03', () => other.user.id)}/suggestion?source=previous_month`);
    expect(res.status).toBe(200);
    expect(res.body.blocks).toEqual([
      day('2026-03-02', '09:00', '12:00'),
      day('2026-03-05', '15:00', '16:00'), // Thursday closes at 16:00
      // 9 March is a day off
      day('2026-03-16', '09:00', '12:00'),
      day('2026-03-23', '09:00', '12:00'),
      day('2026-03-30', '09:00', '12:00'),
    ]);
    const empty = await api.get<ScheduleSuggestion>(`${path('2026-01', () => other.user.id)}/suggestion?source=previous_month`);
    expect(empty.body.blocks).toEqual([]);
    expect((await api.get(`${path('2026-03', () => other.user.id)}/suggestion?source=guess`)).status).toBe(400);
  });
});
