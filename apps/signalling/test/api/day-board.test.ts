// The day board through the API on a real PostgreSQL: one local day of the institution's
// consultations (a specialist's own only), the latest pre-check, and the families whom an
// e-mail did not reach — with the request's phone for those who call, never for a specialist.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { DayBoard, Institution, JournalRequest } from '@dp/protocol';
import { bookConsultation } from '../../src/consultations/lifecycle-writer.ts';
import { OMSK_CALENDAR, createTestDatabase, startApi, type ApiUnderTest, type Identity } from './support.ts';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let omsk: Institution;
let head: Identity;
let socialWorker: Identity;
let psychologist: Identity;
let lawyer: Identity;
const ids: Record<'morning' | 'noon' | 'tomorrow', string> = { morning: '', noon: '', tomorrow: '' };

// Monday 2 March 2026 in Omsk (UTC+6): 08:00 local is 02:00Z.
const NOW = new Date('2026-03-02T02:00:00Z');

async function book(specialist: Identity, start: string, client: { name: string; email: string | null }, requestId?: string) {
  return bookConsultation(
    prisma,
    {
      institutionId: omsk.id,
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      start: new Date(start),
      durationMinutes: 45,
      requestId: requestId ?? null,
      specialists: { create: [{ specialistId: specialist.user.id }] },
      participants: {
        create: [
          { role: 'specialist', staffUserId: specialist.user.id, displayName: specialist.user.displayName },
          { role: 'client', displayName: client.name, email: client.email },
        ],
      },
    },
    { actorId: null, at: NOW },
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  api = await startApi({ prisma, now: NOW });
  omsk = (await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR })).body;
  head = await api.staff('head', omsk.id);
  socialWorker = await api.staff('social_worker', omsk.id);
  psychologist = await api.staff('specialist', omsk.id);
  lawyer = await api.staff('specialist', omsk.id);
  const request = await api.as(socialWorker).post<JournalRequest>(`/institutions/${omsk.id}/requests`, {
    channel: 'phone',
    contact: '+7 913 000-11-22',
    fromWhom: 'Мать',
    representativeName: 'Петрова Анна',
    reason: 'Трудности в общении',
  });
  expect(request.status).toBe(201);
  ids.morning = await book(psychologist, '2026-03-02T04:00:00Z', { name: 'Петрова Анна', email: null }, request.body.id);
  ids.noon = await book(lawyer, '2026-03-02T06:00:00Z', { name: 'Иванов Пётр', email: 'ivanov@example.org' });
  ids.tomorrow = await book(psychologist, '2026-03-03T04:00:00Z', { name: 'Сидорова Ольга', email: null });
  // The morning's reminder could not be e-mailed (no address); the equipment check failed.
  const client = await prisma.participant.findFirstOrThrow({ where: { consultationId: ids.morning, role: 'client' } });
  await prisma.notification.create({
    data: { consultationId: ids.morning, participantId: client.id, kind: 'reminder', recipient: '-', status: 'skipped', createdAt: NOW },
  });
  await prisma.precheckResult.create({ data: { consultationId: ids.morning, specialistId: psychologist.user.id, passed: false } });
  // The family answered on its link page: another time is needed.
  await prisma.clientAnswer.create({
    data: { consultationId: ids.morning, participantId: client.id, kind: 'other_time', note: 'Уезжаем в район', createdAt: NOW },
  });
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

describe('the day board', () => {
  test("the head sees today's consultations of every specialist, the pre-check, and whom to phone", async () => {
    const res = await api.as(head).get<DayBoard>(`/institutions/${omsk.id}/day`);
    expect(res.status).toBe(200);
    expect(res.body.date).toBe('2026-03-02');
    expect(res.body.timeZone).toBe('Asia/Omsk');
    expect(res.body.consultations.map((c) => c.id)).toEqual([ids.morning, ids.noon]);
    const [morning, noon] = res.body.consultations;
    expect(morning).toMatchObject({ precheck: 'failed', clients: ['Петрова Анна'], room: null, state: 'planned' });
    expect(morning!.specialists).toEqual([{ id: psychologist.user.id, displayName: psychologist.user.displayName }]);
    expect(noon).toMatchObject({ precheck: null, clients: ['Иванов Пётр'] });
    expect(res.body.toCall).toEqual([
      expect.objectContaining({
        consultationId: ids.morning,
        clientName: 'Петрова Анна',
        contact: '+7 913 000-11-22',
        about: 'reminder',
        status: 'skipped',
      }),
    ]);
  });

  test("the clients' answers from their link pages, with the phone for those who call back", async () => {
    const board = (await api.as(socialWorker).get<DayBoard>(`/institutions/${omsk.id}/day`)).body;
    expect(board.answers).toEqual([
      expect.objectContaining({
        consultationId: ids.morning,
        clientName: 'Петрова Анна',
        kind: 'other_time',
        note: 'Уезжаем в район',
        contact: '+7 913 000-11-22',
      }),
    ]);
    const own = (await api.as(psychologist).get<DayBoard>(`/institutions/${omsk.id}/day`)).body;
    expect(own.answers).toEqual([expect.objectContaining({ consultationId: ids.morning, contact: null })]);
    expect((await api.as(lawyer).get<DayBoard>(`/institutions/${omsk.id}/day`)).body.answers).toEqual([]);
  });

  test('another day by its date', async () => {
    const res = await api.as(socialWorker).get<DayBoard>(`/institutions/${omsk.id}/day?date=2026-03-03`);
    expect(res.body.consultations.map((c) => c.id)).toEqual([ids.tomorrow]);
    expect(res.body.toCall).toEqual([]);
    expect(res.body.answers).toEqual([]);
  });

  test("a specialist's own day: their consultations only, and no client's phone", async () => {
    const mine = await api.as(psychologist).get<DayBoard>(`/institutions/${omsk.id}/day`);
    expect(mine.body.consultations.map((c) => c.id)).toEqual([ids.morning]);
    expect(mine.body.toCall).toEqual([expect.objectContaining({ consultationId: ids.morning, contact: null })]);
    const theirs = await api.as(lawyer).get<DayBoard>(`/institutions/${omsk.id}/day`);
    expect(theirs.body.consultations.map((c) => c.id)).toEqual([ids.noon]);
    expect(theirs.body.toCall).toEqual([]);
  });

  test('a bad date is a 400 with the field named; another institution is 404', async () => {
    const bad = await api.as(head).get(`/institutions/${omsk.id}/day?date=2026-13-40`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.error)).toContain('date');
    const other = (await api.post<Institution>('/institutions', { name: 'КЦСОН Тара', calendar: OMSK_CALENDAR })).body;
    expect((await api.as(head).get(`/institutions/${other.id}/day`)).status).toBe(404);
  });
});
