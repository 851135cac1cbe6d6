// The timetable through the API on a real PostgreSQL: institution → staff → approved
// schedule → free slots → booking, and every way a booking is refused, moved or cancelled.
// Omsk is UTC+6 all year: 09:30 local = 03:30Z. March 2026: the 2nd is a Monday.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { ApiViolation, Consultation, FreeSlots, Institution, JournalRequest, MonthSchedule, StaffMember } from '@dp/protocol';
import { OMSK_CALENDAR, PUBLIC_URL, UNKNOWN_ID, createTestDatabase, links, startApi, type ApiUnderTest } from './support.ts';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let institution: Institution;
let head: StaffMember;
let psychologist: StaffMember;
let lawyer: StaffMember;

const NOW = new Date('2026-03-01T00:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  // The clock jumps days ahead and back: the admin's session must outlive that.
  api = await startApi({ prisma, now: NOW, session: { idleSeconds: 30 * 86400, absoluteSeconds: 60 * 86400 } });
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const codes = (violations: ApiViolation[] | undefined) => (violations ?? []).map((v) => v.code).sort();
const violationsOf = (e: { details?: unknown }) => (e.details as { violations?: ApiViolation[] } | undefined)?.violations;

function booking(start: string, extra: Record<string, unknown> = {}) {
  return {
    kind: 'one_to_one',
    direction: 'specialist_client',
    mode: 'on_request',
    specialistIds: [psychologist.id],
    start,
    durationMinutes: 60,
    topic: 'family',
    clients: [{ displayName: 'Иванова Мария', email: 'client@example.org' }],
    ...extra,
  };
}

const book = (start: string, extra: Record<string, unknown> = {}) =>
  api.post<Consultation>(`/institutions/${institution.id}/consultations`, booking(start, extra));

const slots = (from: string, to: string, durationMinutes = 60, specialist = psychologist.id) =>
  api.get<FreeSlots>(
    `/institutions/${institution.id}/specialists/${specialist}/free-slots?from=${from}&to=${to}&durationMinutes=${durationMinutes}`,
  );

// 3 March, the whole local day.
const MARCH_3 = ['2026-03-02T18:00:00Z', '2026-03-03T18:00:00Z'] as const;
const MARCH_4 = ['2026-03-03T18:00:00Z', '2026-03-04T18:00:00Z'] as const;

describe('setting up an institution', () => {
  test('institution, staff, a schedule that offers nothing until approved', async () => {
    const created = await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR });
    expect(created.status).toBe(201);
    institution = created.body;
    expect(institution.departmentId).toBe(api.departmentId); // the admin's department
    expect(institution.calendar).toEqual(OMSK_CALENDAR);
    expect((await api.get<Institution>(`/institutions/${institution.id}`)).body).toEqual(institution);
    expect((await api.get<{ institutions: Institution[] }>('/institutions')).body.institutions.map((i) => i.id)).toContain(institution.id);

    const addStaff = (body: unknown) => api.post<StaffMember>(`/institutions/${institution.id}/staff`, body);
    head = (await addStaff({ email: 'Head@Example.org', displayName: 'Заведующая', role: 'head' })).body;
    expect(head).toMatchObject({ email: 'head@example.org', role: 'head', institutionId: institution.id, specialist: null });
    const p = await addStaff({
      email: 'psy@example.org',
      displayName: 'Психолог',
      role: 'specialist',
      specialist: { profession: 'psychologist', title: 'Педагог-психолог' },
    });
    expect(p.status).toBe(201);
    psychologist = p.body;
    lawyer = (
      await addStaff({
        email: 'law@example.org',
        displayName: 'Юрист',
        role: 'specialist',
        specialist: { profession: 'lawyer', title: 'Юрисконсульт' },
      })
    ).body;
    const dup = await addStaff({ email: 'PSY@example.org', displayName: 'Двойник', role: 'head' });
    expect(dup.status).toBe(409);
    expect(dup.error).toMatchObject({ code: 'conflict', details: { email: expect.any(String) } });
    const list = await api.get<{ staff: StaffMember[] }>(`/institutions/${institution.id}/staff?role=specialist`);
    expect(list.body.staff.map((s) => s.id).sort()).toEqual([psychologist.id, lawyer.id].sort());

    const schedule = `/institutions/${institution.id}/specialists/${psychologist.id}/schedules/2026-03`;
    const put = await api.put<MonthSchedule>(schedule, {
      blocks: [
        { date: '2026-03-03', start: '09:00', end: '16:00' },
        { date: '2026-03-04', start: '09:00', end: '16:00' },
        { date: '2026-03-07', start: '10:00', end: '12:00' }, // a Saturday
        { date: '2026-03-09', start: '09:00', end: '12:00' }, // a holiday
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ status: 'draft', approvedById: null, month: '2026-03' });
    expect((await api.put(schedule, { blocks: [{ date: '2026-04-01', start: '09:00', end: '10:00' }] })).error).toMatchObject({
      code: 'bad_request',
      details: { 'blocks.0.date': 'not a date of 2026-03' },
    });
    expect((await slots(...MARCH_3)).body.slots).toEqual([]);
    const early = await book('2026-03-03T03:30:00Z');
    expect(early.status).toBe(422);
    expect(codes(violationsOf(early.error))).toEqual(['no_approved_schedule']);

    // The approver is whoever is signed in: a specialist may not approve (403), the head may.
    // (Accounts made through the API have no password yet; a session needs one.)
    const withPassword = (id: string) => api.prisma.staffUser.update({ where: { id }, data: { passwordHash: 'set by the test' } });
    const bySpecialist = await api.as(await api.signIn(await withPassword(psychologist.id))).post(`${schedule}/approve`);
    expect(bySpecialist.status).toBe(403);
    const headSession = await api.signIn(await withPassword(head.id));
    const approved = await api.as(headSession).post<MonthSchedule>(`${schedule}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'approved', approvedById: head.id, approvedAt: NOW.toISOString() });
    expect((await api.get<MonthSchedule>(schedule)).body.blocks).toHaveLength(4);
  });
});

describe('free slots and booking', () => {
  let first: Consultation;

  test("free slots respect hours, lunch and the 30-minute pre-check (09:30 is the day's first start)", async () => {
    const res = await slots(...MARCH_3);
    expect(res.status).toBe(200);
    const local = res.body.slots.map((s) => new Date(Date.parse(s) + 6 * 3600_000).toISOString().slice(11, 16));
    // 09:30 … 12:00 (ends by lunch), then 14:30 … 15:00 (pre-check after lunch, ends by 16:00).
    expect(local).toEqual([
      '09:30',
      '09:45',
      '10:00',
      '10:15',
      '10:30',
      '10:45',
      '11:00',
      '11:15',
      '11:30',
      '11:45',
      '12:00',
      '14:30',
      '14:45',
      '15:00',
    ]);
    expect(res.body).toMatchObject({ specialistId: psychologist.id, durationMinutes: 60, timeZone: 'Asia/Omsk' });
    expect((await slots('2026-03-06T18:00:00Z', '2026-03-09T18:00:00Z')).body.slots).toEqual([]); // Saturday, Sunday, holiday
  });

  test('a consultation in a free slot: 201, participants (no links), the booker recorded, the timetable told', async () => {
    const res = await book('2026-03-03T09:30:00+06:00');
    expect(res.status).toBe(201);
    first = res.body;
    expect(first).toMatchObject({
      state: 'planned',
      start: '2026-03-03T03:30:00.000Z',
      end: '2026-03-03T04:30:00.000Z',
      version: 0,
      specialistIds: [psychologist.id],
    });
    expect(first.participants.map((p) => [p.role, p.staffUserId, p.displayName])).toEqual([
      ['specialist', psychologist.id, 'Психолог'],
      ['client', null, 'Иванова Мария'],
    ]);
    // No link in the response: the client's is shown by its own route, to those who hand it over.
    expect(JSON.stringify(first)).not.toContain('/join/');
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id: first.id } })).createdById).toBe(api.admin.user.id);
    const asHead = api.as(await api.signIn(await prisma.staffUser.findUniqueOrThrow({ where: { id: head.id } })));
    const client = first.participants.find((p) => p.role === 'client')!;
    const link = await asHead.get<{ participantId: string; url: string; generation: number }>(
      `/consultations/${first.id}/participants/${client.id}/link`,
    );
    expect(link.status).toBe(200);
    expect(link.body).toMatchObject({ participantId: client.id, generation: 1 });
    expect(link.body.url.startsWith(`${PUBLIC_URL}/join/`)).toBe(true);
    const claims = links.verify(link.body.url.slice(`${PUBLIC_URL}/join/`.length), NOW);
    expect(claims).toMatchObject({ consultationId: first.id, participantId: client.id, role: 'client', generation: 1 });
    // planned start + 60 min + 30 days
    expect(claims.expiresAt.toISOString()).toBe('2026-04-02T04:30:00.000Z');
    expect(api.timetableCalls).toEqual([first.id]);
    // The page's view: the list's consultation and more (specialists' names, pre-checks, visits, the zone).
    expect((await api.get<Consultation>(`/consultations/${first.id}`)).body).toMatchObject(first);

    const events = await prisma.auditEvent.findMany({ where: { action: 'consultation.created', targetId: first.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorType: 'staff',
      actorId: api.admin.user.id,
      institutionId: institution.id,
      targetType: 'consultation',
    });
    expect(JSON.stringify(events[0]!.details)).not.toMatch(/Иванова|client@example/);
  });

  test('the same slot again, and one whose pre-check overlaps it: 409 overlaps_booking', async () => {
    const again = await book('2026-03-03T03:30:00Z');
    expect(again.status).toBe(409);
    expect(again.error.code).toBe('conflict');
    expect(violationsOf(again.error)).toEqual([
      { code: 'overlaps_booking', message: expect.any(String), specialistId: psychologist.id, bookingId: first.id },
    ]);
    // 10:45–11:45 does not meet 09:30–10:30, but its pre-check 10:15–10:45 does.
    const precheck = await book('2026-03-03T04:45:00Z');
    expect(precheck.status).toBe(409);
    expect(codes(violationsOf(precheck.error))).toEqual(['overlaps_booking']);
    // Back to back is 30 minutes apart: 11:00 is free, and the free slots say so.
    expect((await slots(...MARCH_3)).body.slots[0]).toBe('2026-03-03T05:00:00.000Z');
    expect(api.timetableCalls).toEqual([first.id]);
  });

  test('outside hours, on lunch, on a holiday, on a Saturday, too soon: 422 with the code', async () => {
    const cases: [string, number, string][] = [
      ['2026-03-03T10:00:00Z', 30, 'outside_working_hours'], // 16:00 local
      ['2026-03-03T07:00:00Z', 30, 'overlaps_lunch'], // 13:00
      ['2026-03-03T08:00:00Z', 30, 'precheck_overlaps_lunch'], // 14:00, pre-check 13:30
      ['2026-03-03T03:00:00Z', 30, 'precheck_outside_working_hours'], // 09:00, pre-check 08:30
      ['2026-03-09T04:00:00Z', 30, 'day_off'], // the holiday, although the schedule has a block
      ['2026-03-07T04:30:00Z', 30, 'day_off'], // Saturday 10:30
      ['2026-03-05T04:00:00Z', 30, 'outside_schedule_block'], // Thursday: no block
      ['2026-03-03T05:00:30Z', 30, 'start_invalid'], // not a whole minute
    ];
    for (const [start, durationMinutes, code] of cases) {
      const res = await book(start, { durationMinutes });
      expect([start, res.status, res.error?.code]).toEqual([start, 422, 'rule_violation']);
      expect([start, codes(violationsOf(res.error))]).toEqual([start, expect.arrayContaining([code])]);
    }
    api.clock.now = new Date('2026-03-03T04:45:00Z'); // 10:45 local: an 11:00 start leaves no 30-minute pre-check
    const soon = await book('2026-03-03T05:00:00Z');
    api.clock.now = NOW;
    expect(codes(violationsOf(soon.error))).toEqual(['starts_too_soon']);
  });

  test('two requests for the same free slot at once: exactly one gets it', async () => {
    const [a, b] = await Promise.all([book('2026-03-04T08:30:00Z'), book('2026-03-04T08:30:00Z')]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const winner = a.status === 201 ? a.body : b.body;
    const cancelled = await api.post<Consultation>(`/consultations/${winner.id}/cancel`, {
      reasonCategory: 'other',
      reason: 'тест',
      version: 0,
    });
    expect(cancelled.body.state).toBe('cancelled');
  });

  test('reschedule: stale version → 409 with the current one; a valid time → moved, version + 1, timetable told', async () => {
    api.timetableCalls.length = 0;
    const stale = await api.post(`/consultations/${first.id}/reschedule`, { start: '2026-03-04T04:00:00Z', version: 3 });
    expect(stale.status).toBe(409);
    expect(stale.error).toMatchObject({ code: 'conflict', details: { currentVersion: 0 } });

    const moved = await api.post<Consultation>(`/consultations/${first.id}/reschedule`, {
      start: '2026-03-04T10:00:00+06:00',
      durationMinutes: 45,
      version: 0,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      id: first.id,
      start: '2026-03-04T04:00:00.000Z',
      durationMinutes: 45,
      version: 1,
      state: 'planned',
    });
    expect(api.timetableCalls).toEqual([first.id]);
    // The same version again is stale now.
    expect((await api.post(`/consultations/${first.id}/reschedule`, { start: '2026-03-04T05:00:00Z', version: 0 })).error).toMatchObject({
      details: { currentVersion: 1 },
    });
    // Its old time is free again; the new one is taken.
    expect((await slots(...MARCH_3)).body.slots[0]).toBe('2026-03-03T03:30:00.000Z');
    expect((await slots(...MARCH_4)).body.slots).not.toContain('2026-03-04T04:00:00.000Z');
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'consultation.rescheduled', targetId: first.id } });
    expect(event.details).toMatchObject({ from: '2026-03-03T03:30:00.000Z', to: '2026-03-04T04:00:00.000Z' });
  });

  test('reschedule onto another consultation, or outside hours, is refused and changes nothing', async () => {
    const other = await book('2026-03-03T05:00:00Z');
    expect(other.status).toBe(201);
    const onto = await api.post(`/consultations/${other.body.id}/reschedule`, { start: '2026-03-04T04:30:00Z', version: 0 });
    expect(onto.status).toBe(409);
    expect(violationsOf(onto.error)).toEqual([expect.objectContaining({ code: 'overlaps_booking', bookingId: first.id })]);
    const late = await api.post(`/consultations/${other.body.id}/reschedule`, { start: '2026-03-04T10:00:00Z', version: 0 });
    expect(late.status).toBe(422);
    expect((await api.get<Consultation>(`/consultations/${other.body.id}`)).body).toMatchObject({ start: other.body.start, version: 0 });
  });

  test('cancel: stale version → 409; then cancelled, its time free; a second cancel → 409 booking_not_cancellable', async () => {
    api.timetableCalls.length = 0;
    expect(
      (await api.post(`/consultations/${first.id}/cancel`, { reasonCategory: 'other', reason: 'Болезнь специалиста', version: 0 })).status,
    ).toBe(409);
    const res = await api.post<Consultation>(`/consultations/${first.id}/cancel`, {
      reasonCategory: 'other',
      reason: 'Болезнь специалиста',
      version: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'cancelled', cancelledReason: 'Болезнь специалиста', version: 2 });
    expect(api.timetableCalls).toEqual([first.id]);
    expect((await slots(...MARCH_4)).body.slots).toContain('2026-03-04T04:00:00.000Z');
    const again = await api.post(`/consultations/${first.id}/cancel`, { reasonCategory: 'other', reason: 'ещё раз', version: 2 });
    expect(again.status).toBe(409);
    expect(codes(violationsOf(again.error))).toEqual(['booking_not_cancellable']);
    const moveCancelled = await api.post(`/consultations/${first.id}/reschedule`, { start: '2026-03-04T04:00:00Z', version: 2 });
    expect(codes(violationsOf(moveCancelled.error))).toEqual(['booking_not_movable']);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'consultation.cancelled', targetId: first.id } });
    expect(JSON.stringify(event.details)).not.toContain('Болезнь');
  });

  test('a booking for a journal request marks it scheduled; the list filters by time and specialist', async () => {
    const request = await api.post<JournalRequest>(`/institutions/${institution.id}/requests`, {
      channel: 'phone',
      fromWhom: 'Мать',
      reason: 'Ребёнок не ходит в школу',
      receivedAt: '2026-03-02T03:00:00Z',
    });
    const res = await book('2026-03-04T06:00:00Z', { requestId: request.body.id });
    expect(res.status).toBe(201);
    expect(res.body.requestId).toBe(request.body.id);
    const journal = await api.get<{ requests: JournalRequest[] }>(`/institutions/${institution.id}/requests?status=scheduled`);
    expect(journal.body.requests.map((r) => r.id)).toEqual([request.body.id]);

    const list = await api.get<{ consultations: Consultation[] }>(
      `/institutions/${institution.id}/consultations?from=2026-03-03T18:00:00Z&to=2026-03-04T18:00:00Z&specialistId=${psychologist.id}`,
    );
    expect(list.status).toBe(200);
    expect(list.body.consultations.map((c) => c.start)).toEqual([
      '2026-03-04T04:00:00.000Z',
      '2026-03-04T06:00:00.000Z',
      '2026-03-04T08:30:00.000Z',
    ]);
    expect(JSON.stringify(list.body)).not.toContain('/join/');
    const lawyers = await api.get<{ consultations: Consultation[] }>(
      `/institutions/${institution.id}/consultations?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&specialistId=${lawyer.id}`,
    );
    expect(lawyers.body.consultations).toEqual([]);
  });
});

describe('unknown ids and ids of another institution: 404', () => {
  test('unknown ids', async () => {
    const inst = `/institutions/${institution.id}`;
    const cases: [string, string, unknown?][] = [
      ['GET', `/institutions/${UNKNOWN_ID}`],
      ['GET', `/institutions/${UNKNOWN_ID}/staff`],
      ['GET', `/consultations/${UNKNOWN_ID}`],
      ['POST', `/consultations/${UNKNOWN_ID}/reschedule`, { start: '2026-03-04T04:00:00Z', version: 0 }],
      ['POST', `/consultations/${UNKNOWN_ID}/cancel`, { reasonCategory: 'other', reason: 'x', version: 0 }],
      ['GET', `${inst}/specialists/${UNKNOWN_ID}/schedules/2026-03`],
      ['GET', `${inst}/specialists/${lawyer.id}/schedules/2026-03`], // exists, but no schedule
      ['POST', `${inst}/specialists/${lawyer.id}/schedules/2026-03/approve`, {}],
      ['PATCH', `${inst}/requests/${UNKNOWN_ID}`, { status: 'completed' }],
    ];
    for (const [method, path, body] of cases) {
      const res = await api.call(method, path, body);
      expect([method, path, res.status, res.error?.code]).toEqual([method, path, 404, 'not_found']);
    }
    const res = await book('2026-03-04T07:30:00Z', { specialistIds: [UNKNOWN_ID] });
    expect(res.status).toBe(404);
    expect(res.error.details).toEqual({ 'specialistIds.0': expect.any(String) });
  });

  test("another institution's staff cannot be booked or scheduled through this one", async () => {
    const other = (
      await api.post<Institution>('/institutions', { departmentId: institution.departmentId, name: 'КЦСОН Омск', calendar: OMSK_CALENDAR })
    ).body;
    const stranger = (
      await api.post<StaffMember>(`/institutions/${other.id}/staff`, {
        email: 'x@example.org',
        displayName: 'Чужой',
        role: 'specialist',
        specialist: { profession: 'other', title: 'Специалист' },
      })
    ).body;
    expect((await book('2026-03-04T07:30:00Z', { specialistIds: [stranger.id] })).status).toBe(404);
    expect((await api.put(`/institutions/${institution.id}/specialists/${stranger.id}/schedules/2026-03`, { blocks: [] })).status).toBe(
      404,
    );
    expect((await slots(...MARCH_3, 60, stranger.id)).status).toBe(404);
    // …and this institution's consultation is not found through the other one's list.
    const list = await api.get<{ consultations: Consultation[] }>(
      `/institutions/${other.id}/consultations?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z`,
    );
    expect(list.body.consultations).toEqual([]);
  });
});

describe('institution calendar changes', () => {
  test('PATCH replaces calendar parts, validated; the rules see the new hours at once', async () => {
    const res = await api.patch<Institution>(`/institutions/${institution.id}`, {
      calendar: { lunch: null, daysOff: ['2026-03-09', '2026-03-10'] },
    });
    expect(res.status).toBe(200);
    expect(res.body.calendar).toEqual({ ...OMSK_CALENDAR, lunch: null, daysOff: ['2026-03-09', '2026-03-10'] });
    const bad = await api.patch(`/institutions/${institution.id}`, { calendar: { timeZone: 'GMT+6' } });
    expect(bad.status).toBe(400);
    expect(bad.error.details).toEqual({ 'calendar.timeZone': expect.any(String) });
    expect((await api.patch(`/institutions/${institution.id}`, {})).status).toBe(400);
    // No lunch now: a 12:30 start on 3 March fits (13:00 was refused before).
    expect((await slots(...MARCH_3)).body.slots).toContain('2026-03-03T06:30:00.000Z');
  });
});

test('nothing unexpected was logged (no 500s along the way)', () => {
  expect(api.logs).toEqual([]);
});
