// The request journal's list on a real PostgreSQL: filters (period, status, specialist,
// channel, overdue, search), 50 rows a page newest first with the total, the «due soon»
// boundary from the institution's calendar, the refusal's ground, the specialist's own scope.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { Institution, JournalRequest, RequestList } from '@dp/protocol';
import { OMSK_CALENDAR, createTestDatabase, startApi, type ApiUnderTest, type Identity } from './support.ts';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let omsk: Institution;
let psyA: Identity;
let psyB: Identity;
let worker: Identity;
const made: JournalRequest[] = [];

// Wednesday 11 March 2026, 11:00 in Omsk.
const NOW = new Date('2026-03-11T05:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  api = await startApi({ prisma, now: NOW });
  omsk = (await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR })).body;
  psyA = await api.staff('specialist', omsk.id);
  psyB = await api.staff('specialist', omsk.id);
  worker = await api.staff('social_worker', omsk.id);
  // 56 requests, one every 12 hours from 1 February: every third for psyA, every fifth e-mail.
  for (let i = 0; i < 56; i++) {
    const res = await api.as(worker).post<JournalRequest>(`/institutions/${omsk.id}/requests`, {
      channel: i % 5 === 0 ? 'email' : 'phone',
      fromWhom: i === 7 ? 'Бабушка Сидорова' : 'Мать',
      childName: i === 7 ? 'Сидоров Пётр' : undefined,
      contact: i === 8 ? '+7 900 111-22-33' : undefined,
      reason: i === 9 ? 'Агрессия у подростка' : 'Трудности в общении',
      receivedAt: new Date(Date.parse('2026-02-01T03:00:00Z') + i * 12 * 3600_000).toISOString(),
      ...(i % 3 === 0 ? { responsibleSpecialistId: psyA.user.id } : {}),
    });
    expect(res.status).toBe(201);
    made.push(res.body);
  }
}, 120_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const list = (query: string, who: Identity = worker) => api.as(who).get<RequestList>(`/institutions/${omsk.id}/requests?${query}`);
const numbers = (r: { body: RequestList }) => r.body.requests.map((x) => x.number);

describe('the journal list', () => {
  test('50 rows a page, newest received first, with the total', async () => {
    const first = await list('');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 56, page: 1, pageSize: 50, now: NOW.toISOString() });
    expect(numbers(first)).toEqual(Array.from({ length: 50 }, (_, i) => 56 - i));
    const second = await list('page=2');
    expect(numbers(second)).toEqual([6, 5, 4, 3, 2, 1]);
    expect((await list('page=3')).body.requests).toEqual([]);
    expect((await list('page=0')).error).toMatchObject({ code: 'bad_request', details: { 'query.page': expect.any(String) } });
  });

  test('period, status, specialist and channel filters combine', async () => {
    // Received in [10 Feb, 20 Feb): requests 19..38 (i = 18..37).
    const period = 'from=2026-02-10T00:00:00Z&to=2026-02-20T00:00:00Z';
    expect(numbers(await list(period))).toEqual(Array.from({ length: 20 }, (_, i) => 38 - i));
    const mine = await list(`${period}&status=assigned&responsibleSpecialistId=${psyA.user.id}`);
    expect(mine.body.total).toBe(7);
    expect(mine.body.requests.every((r) => r.status === 'assigned' && r.responsibleSpecialistId === psyA.user.id)).toBe(true);
    expect((await list(`responsibleSpecialistId=${psyB.user.id}`)).body.total).toBe(0);
    const email = await list('channel=email');
    expect(email.body.total).toBe(12);
    expect(email.body.requests.every((r) => r.channel === 'email')).toBe(true);
    expect((await list('channel=pigeon')).error.details).toEqual({ 'query.channel': expect.any(String) });
  });

  test('overdue: the deadline passed while still new or assigned', async () => {
    // The newest (received Saturday 28 February) was due by Thursday 5 March: on 11 March all are overdue…
    const overdue = await list('overdue=true');
    expect(overdue.body.total).toBe(56);
    // …except what was answered or refused.
    const path = (r: JournalRequest) => `/institutions/${omsk.id}/requests/${r.id}`;
    expect((await api.as(worker).patch(path(made[55]!), { status: 'scheduled' })).status).toBe(200);
    expect((await list('overdue=true')).body.total).toBe(55);
    expect(numbers(await list('overdue=true'))[0]).toBe(55);
    // A request received now is due tomorrow or later: not overdue.
    const fresh = await api.as(worker).post<JournalRequest>(`/institutions/${omsk.id}/requests`, {
      channel: 'email',
      fromWhom: 'Отец',
      reason: 'Консультация юриста',
    });
    expect((await list('overdue=true')).body.requests.map((r) => r.id)).not.toContain(fresh.body.id);
  });

  test('search: number, names, contact, reason (any case)', async () => {
    expect(numbers(await list('q=сидоров'))).toEqual([8]);
    expect(numbers(await list(`q=${encodeURIComponent('111-22')}`))).toEqual([9]);
    expect(numbers(await list(`q=${encodeURIComponent('АГРЕССИЯ')}`))).toEqual([10]);
    expect(numbers(await list('q=12'))).toEqual([12]);
    expect(numbers(await list(`q=${encodeURIComponent('№ 12/2026')}`))).toEqual([12]);
    expect((await list(`q=${encodeURIComponent('нет такого')}`)).body.total).toBe(0);
  });

  test('«due soon» is the closing time of the next working day (Thu 12 March, 16:00 Omsk)', async () => {
    expect((await list('')).body.dueSoonBefore).toBe('2026-03-12T10:00:00.000Z');
  });

  test('a specialist sees only their own requests, whatever the filter asks', async () => {
    const none = await list('', psyB);
    expect(none.error).toBeUndefined();
    expect(none.body.total).toBe(0);
    const own = await list(`responsibleSpecialistId=${psyB.user.id}`, psyA);
    expect(own.body.total).toBe(19);
    expect(own.body.requests.every((r) => r.responsibleSpecialistId === psyA.user.id)).toBe(true);
  });
});

describe('refusal', () => {
  test('status refused needs one of the two grounds; leaving refused clears it', async () => {
    const path = `/institutions/${omsk.id}/requests/${made[1]!.id}`;
    const bare = await api.as(worker).patch(path, { status: 'refused', result: 'Вне компетенции' });
    expect(bare.status).toBe(400);
    expect(bare.error.details).toEqual({ refusalGround: expect.any(String) });
    expect((await api.as(worker).patch(path, { status: 'refused', refusalGround: 'rudeness' })).status).toBe(400);
    expect((await api.as(worker).patch(path, { refusalGround: 'outside_competence' })).error.details).toEqual({
      refusalGround: expect.any(String),
    });
    const refused = await api.as(worker).patch<JournalRequest>(path, {
      status: 'refused',
      refusalGround: 'unethical_or_aggressive_behaviour',
      result: 'Грубил по телефону',
    });
    expect(refused.body).toMatchObject({
      status: 'refused',
      refusalGround: 'unethical_or_aggressive_behaviour',
      result: 'Грубил по телефону',
    });
    expect((await list('status=refused')).body.requests.map((r) => r.id)).toEqual([made[1]!.id]);
    const reopened = await api.as(worker).patch<JournalRequest>(path, { status: 'new' });
    expect(reopened.body).toMatchObject({ status: 'new', refusalGround: null });
  });
});

describe('the answer deadline uses the production calendar', () => {
  test('phone on Friday 8 May 2026 (shortened day): 9 May moved to Monday 11 May → due Wednesday 13 May', async () => {
    const r = await api.as(worker).post<JournalRequest>(`/institutions/${omsk.id}/requests`, {
      channel: 'phone',
      fromWhom: 'Мать',
      reason: 'Консультация логопеда',
      receivedAt: '2026-05-08T11:00:00+06:00',
    });
    expect(r.body.answerDueAt).toBe('2026-05-13T10:00:00.000Z');
  });
});
