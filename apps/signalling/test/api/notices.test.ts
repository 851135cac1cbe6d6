// The bell through the API on a real PostgreSQL: a notice written by the one writer
// (timetable/staff-notices.ts) reaches its recipient only; marking read touches only one's own.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { Institution, NoticeList, NoticesRead } from '@dp/protocol';
import { bookConsultation } from '../../src/consultations/lifecycle-writer.ts';
import { addressNotice } from '../../src/timetable/staff-notices.ts';
import { OMSK_CALENDAR, createTestDatabase, startApi, type ApiUnderTest, type Identity } from './support.ts';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let omsk: Institution;
let head: Identity;
let specialist: Identity;
let consultationId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  api = await startApi({ prisma, now: new Date('2026-03-02T03:00:00Z') });
  omsk = (await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR })).body;
  head = await api.staff('head', omsk.id);
  specialist = await api.staff('specialist', omsk.id);
  consultationId = await bookConsultation(
    prisma,
    {
      institutionId: omsk.id,
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      start: new Date('2026-03-02T05:00:00Z'),
      durationMinutes: 45,
      specialists: { create: [{ specialistId: specialist.user.id }] },
    },
    { actorId: null, at: new Date('2026-03-01T00:00:00Z') },
  );
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

describe('the bell', () => {
  test('a notice reaches its recipient only, with the consultation and its zone, and an audit row', async () => {
    await addressNotice(prisma, 'technical_failure', [head.user.id], omsk.id, consultationId);
    const mine = await api.as(head).get<NoticeList>('/notices');
    expect(mine.status).toBe(200);
    expect(mine.body.unread).toBe(1);
    expect(mine.body.notices).toEqual([
      expect.objectContaining({
        kind: 'technical_failure',
        readAt: null,
        consultation: {
          id: consultationId,
          start: '2026-03-02T05:00:00.000Z',
          state: 'planned',
          kind: 'one_to_one',
          timeZone: 'Asia/Omsk',
        },
      }),
    ]);
    const theirs = await api.as(specialist).get<NoticeList>('/notices');
    expect(theirs.body).toEqual({ notices: [], unread: 0 });
    expect(await prisma.auditEvent.count({ where: { action: 'notification.technical_failure', targetId: head.user.id } })).toBe(1);
  });

  test("someone else's ids mark nothing; one's own are marked read and stay listed", async () => {
    const [notice] = (await api.as(head).get<NoticeList>('/notices')).body.notices;
    const foreign = await api.as(specialist).post<NoticesRead>('/notices/read', { ids: [notice!.id] });
    expect(foreign.status).toBe(200);
    expect(foreign.body.unread).toBe(0);
    expect((await api.as(head).get<NoticeList>('/notices')).body.unread).toBe(1);

    const own = await api.as(head).post<NoticesRead>('/notices/read', { ids: [notice!.id] });
    expect(own.body.unread).toBe(0);
    const after = (await api.as(head).get<NoticeList>('/notices')).body;
    expect(after.unread).toBe(0);
    expect(after.notices[0]!.readAt).toBe('2026-03-02T03:00:00.000Z');
  });

  test('«all» marks every unread one; bad bodies are 400 with a message', async () => {
    await addressNotice(prisma, 'precheck_open', [specialist.user.id], omsk.id, consultationId);
    await addressNotice(prisma, 'precheck_alert', [specialist.user.id], omsk.id, consultationId);
    expect((await api.as(specialist).get<NoticeList>('/notices')).body.unread).toBe(2);
    expect((await api.as(specialist).post<NoticesRead>('/notices/read', { all: true })).body.unread).toBe(0);

    for (const bad of [{}, { ids: [] }, { ids: ['nope'] }, { ids: [consultationId], all: true }]) {
      const res = await api.as(specialist).post('/notices/read', bad);
      expect(res.status).toBe(400);
      expect(res.error?.message).toBeTruthy();
    }
  });

  test('without a session there is no bell', async () => {
    expect((await api.as(null).get('/notices')).status).toBe(401);
  });
});
