// The request journal through the API on a real PostgreSQL: numbers per institution per
// (local) year, answer deadlines in working days, updates, and other institutions' ids.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { Institution, JournalRequest, StaffMember } from '@dp/protocol';
import { OMSK_CALENDAR, UNKNOWN_ID, createTestDatabase, startApi, type ApiUnderTest } from './support.ts';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let omsk: Institution;
let other: Institution;
let specialist: StaffMember;
let stranger: StaffMember;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  // The clock moves weeks ahead (the decision time): sessions must outlive it.
  api = await startApi({
    prisma,
    now: new Date('2026-03-01T00:00:00Z'),
    session: { idleSeconds: 30 * 86400, absoluteSeconds: 60 * 86400 },
  });
  const institution = (name: string) => api.post<Institution>('/institutions', { name, calendar: OMSK_CALENDAR });
  omsk = (await institution('КЦСОН Седельниково')).body;
  other = (await institution('КЦСОН Тара')).body;
  const staff = (inst: Institution, email: string) =>
    api.post<StaffMember>(`/institutions/${inst.id}/staff`, {
      email,
      displayName: 'Психолог',
      role: 'specialist',
      specialist: { profession: 'psychologist', title: 'Психолог' },
    });
  specialist = (await staff(omsk, 'psy@example.org')).body;
  stranger = (await staff(other, 'psy@tara.example.org')).body;
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const register = (inst: Institution, body: Record<string, unknown>) =>
  api.post<JournalRequest>(`/institutions/${inst.id}/requests`, {
    fromWhom: 'Мать',
    reason: 'Трудности в общении со сверстниками',
    ...body,
  });

describe('the request journal', () => {
  const created: JournalRequest[] = [];

  test('numbers 1, 2, 3 per institution per year; e-mail answered within 3 working days, phone within 2', async () => {
    // Monday 2 March 11:00 local, by e-mail → Thursday 5 March at closing (16:00 = 10:00Z).
    const r1 = await register(omsk, {
      channel: 'email',
      contact: 'mother@example.org',
      receivedAt: '2026-03-02T11:00:00+06:00',
      representativeName: 'Петрова Анна',
      childName: 'Петров Илья',
      childAge: 9,
      address: 'с. Седельниково, ул. Мира, 1',
      socialStatus: 'difficult_life_situation',
    });
    expect(r1.status).toBe(201);
    expect(r1.body).toMatchObject({
      year: 2026,
      number: 1,
      status: 'new',
      recurrence: 'first',
      anonymous: false,
      answerDueAt: '2026-03-05T10:00:00.000Z',
    });
    // Friday 6 March 10:00 by phone → 2 working days: Monday 9 March is a holiday → Wednesday 11 March 16:00.
    const r2 = await register(omsk, { channel: 'phone', receivedAt: '2026-03-06T04:00:00Z', responsibleSpecialistId: specialist.id });
    expect(r2.body).toMatchObject({
      number: 2,
      status: 'assigned',
      responsibleSpecialistId: specialist.id,
      answerDueAt: '2026-03-11T10:00:00.000Z',
    });
    // The same Friday by e-mail, anonymous → Thursday 12 March 16:00.
    const r3 = await register(omsk, {
      channel: 'email',
      anonymous: true,
      fromWhom: 'аноним',
      contact: 'anon@example.org',
      receivedAt: '2026-03-06T04:00:00Z',
    });
    expect(r3.body).toMatchObject({ number: 3, anonymous: true, childName: null, answerDueAt: '2026-03-12T10:00:00.000Z' });
    created.push(r1.body, r2.body, r3.body);

    // Another institution starts at 1; so does a new local year (1 January 01:00 in Omsk is still 31 December in UTC).
    expect((await register(other, { channel: 'visit', receivedAt: '2026-03-02T05:00:00Z' })).body.number).toBe(1);
    const newYear = await register(omsk, { channel: 'sms', receivedAt: '2026-12-31T19:00:00Z' });
    expect(newYear.body).toMatchObject({ year: 2027, number: 1 });
    // A video link has no deadline in the seeds.
    const video = await register(omsk, { channel: 'video_link', receivedAt: '2026-03-10T05:00:00Z' });
    expect(video.body).toMatchObject({ number: 4, answerDueAt: null });
    // Without receivedAt it is now.
    expect((await register(omsk, { channel: 'visit' })).body).toMatchObject({ number: 5, receivedAt: '2026-03-01T00:00:00.000Z' });
  });

  test('the list filters by received time and status', async () => {
    const all = await api.get<{ requests: JournalRequest[] }>(`/institutions/${omsk.id}/requests`);
    // Newest received first (request-journal.test.ts tests the journal's filters and pages).
    expect(all.body.requests.map((r) => `${r.year}/${r.number}`)).toEqual(['2027/1', '2026/4', '2026/3', '2026/2', '2026/1', '2026/5']);
    const week = await api.get<{ requests: JournalRequest[] }>(
      `/institutions/${omsk.id}/requests?from=2026-03-02T00:00:00Z&to=2026-03-09T00:00:00Z`,
    );
    expect(week.body.requests.map((r) => r.number)).toEqual([3, 2, 1]);
    const assigned = await api.get<{ requests: JournalRequest[] }>(`/institutions/${omsk.id}/requests?status=assigned`);
    expect(assigned.body.requests.map((r) => r.id)).toEqual([created[1]!.id]);
  });

  test('PATCH: a responsible specialist makes it assigned; status and result; clearing', async () => {
    const path = `/institutions/${omsk.id}/requests/${created[0]!.id}`;
    const assigned = await api.patch<JournalRequest>(path, { responsibleSpecialistId: specialist.id });
    expect(assigned.body).toMatchObject({ status: 'assigned', responsibleSpecialistId: specialist.id, number: 1 });
    const done = await api.patch<JournalRequest>(path, { status: 'completed', result: 'Проведена консультация, даны рекомендации' });
    expect(done.body).toMatchObject({ status: 'completed', result: 'Проведена консультация, даны рекомендации' });
    const cleared = await api.patch<JournalRequest>(path, { responsibleSpecialistId: null, result: null });
    expect(cleared.body).toMatchObject({ status: 'completed', responsibleSpecialistId: null, result: null });
    expect((await api.patch(path, { status: 'lost' })).error).toMatchObject({
      code: 'bad_request',
      details: { status: expect.any(String) },
    });
    const events = await prisma.auditEvent.findMany({ where: { targetId: created[0]!.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['request.created', 'request.updated', 'request.updated', 'request.updated']);
    expect(JSON.stringify(events.map((e) => e.details))).not.toMatch(/Петров|mother@|Проведена/);
  });

  test("another institution's request or specialist: 404", async () => {
    expect(
      (await api.patch(`/institutions/${other.id}/requests/${created[0]!.id}`, { status: 'refused', refusalGround: 'outside_competence' }))
        .status,
    ).toBe(404);
    const foreign = await api.patch(`/institutions/${omsk.id}/requests/${created[1]!.id}`, { responsibleSpecialistId: stranger.id });
    expect(foreign.status).toBe(404);
    expect(foreign.error.details).toEqual({ responsibleSpecialistId: expect.any(String) });
    expect((await api.get(`/institutions/${UNKNOWN_ID}/requests`)).status).toBe(404);
    // Nothing was numbered by the refused registration.
    expect((await register(omsk, { channel: 'email', receivedAt: '2026-03-10T05:00:00Z' })).body.number).toBe(6);
  });
});

describe('who registered it', () => {
  test("the signed-in caller is the author: a registeredById in the body (a colleague's, an unknown id) changes nothing", async () => {
    const worker = await api.staff('social_worker', omsk.id);
    const colleague = await api.staff('social_worker', omsk.id);
    const path = `/institutions/${omsk.id}/requests`;
    for (const registeredById of [colleague.user.id, UNKNOWN_ID, stranger.id]) {
      const res = await api.as(worker).post<JournalRequest>(path, {
        channel: 'phone',
        fromWhom: 'Бабушка',
        reason: 'Просит консультацию психолога',
        registeredById,
      });
      expect(res.status).toBe(201);
      expect(res.body.registeredById).toBe(worker.user.id);
      const row = await prisma.request.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(row.registeredById).toBe(worker.user.id);
    }
    // Without one, too; and the admin who registers one is its author.
    const plain = await api.as(colleague).post<JournalRequest>(path, { channel: 'visit', fromWhom: 'Мать', reason: 'Запись на приём' });
    expect(plain.body.registeredById).toBe(colleague.user.id);
    expect((await register(omsk, { channel: 'visit' })).body.registeredById).toBe(api.admin.user.id);
  });
});

describe('the decision time (decidedAt), which the monthly report counts as the answer', () => {
  test('set on the business clock when refused or completed; a later edit does not move it; reopening clears it', async () => {
    const start = api.clock.now;
    const decided = (id: string) => prisma.request.findUniqueOrThrow({ where: { id } }).then((r) => r.decidedAt?.toISOString() ?? null);
    try {
      // By phone on Monday 2 March: due by Wednesday's closing.
      const r = (await register(omsk, { channel: 'phone', receivedAt: '2026-03-02T05:00:00Z' })).body;
      expect(r).toMatchObject({ status: 'new', decidedAt: null, answerDueAt: expect.any(String) });
      const path = `/institutions/${omsk.id}/requests/${r.id}`;
      api.clock.now = new Date('2026-03-02T08:00:00Z');
      const assigned = await api.patch<JournalRequest>(path, { responsibleSpecialistId: specialist.id });
      expect(assigned.error).toBeUndefined();
      expect(assigned.body.decidedAt).toBeNull();

      api.clock.now = new Date('2026-03-03T04:00:00Z');
      const refused = await api.patch<JournalRequest>(path, {
        status: 'refused',
        refusalGround: 'outside_competence',
        result: 'Вне компетенции',
      });
      expect(refused.body).toMatchObject({ status: 'refused', decidedAt: '2026-03-03T04:00:00.000Z' });
      expect(refused.body.decidedAt! <= r.answerDueAt!).toBe(true);

      // A week later, after the deadline: the result corrected, the specialist cleared, the
      // refusal saved again with the other ground — edits, not a new decision.
      api.clock.now = new Date('2026-03-10T06:00:00Z');
      await api.patch(path, { result: 'Вопрос вне компетенции учреждения' });
      await api.patch(path, { responsibleSpecialistId: null });
      const again = await api.patch<JournalRequest>(path, { status: 'refused', refusalGround: 'unethical_or_aggressive_behaviour' });
      expect(again.body).toMatchObject({ refusalGround: 'unethical_or_aggressive_behaviour', decidedAt: '2026-03-03T04:00:00.000Z' });
      expect(again.body.updatedAt > again.body.decidedAt!).toBe(true);
      expect(await decided(r.id)).toBe('2026-03-03T04:00:00.000Z');

      // Reopened: no decision any more; completed later: the latest decision counts.
      api.clock.now = new Date('2026-03-11T06:00:00Z');
      expect((await api.patch<JournalRequest>(path, { status: 'assigned' })).body).toMatchObject({ status: 'assigned', decidedAt: null });
      api.clock.now = new Date('2026-03-12T07:00:00Z');
      const done = await api.patch<JournalRequest>(path, { status: 'completed', result: 'Проведена консультация' });
      expect(done.body).toMatchObject({ status: 'completed', decidedAt: '2026-03-12T07:00:00.000Z' });
      api.clock.now = new Date('2026-03-20T07:00:00Z');
      await api.patch(path, { result: 'Проведена консультация, даны рекомендации' });
      expect(await decided(r.id)).toBe('2026-03-12T07:00:00.000Z');
      // A decision time only on a decided request (a CHECK in the database).
      await expect(prisma.request.update({ where: { id: r.id }, data: { status: 'assigned' } })).rejects.toThrow(
        /requests_decided_at_check/,
      );
    } finally {
      api.clock.now = start;
    }
  });
});

test('nothing unexpected was logged (no 500s along the way)', () => {
  expect(api.logs).toEqual([]);
});
