// Finding 8 of the security review: input that PostgreSQL refuses must be refused at the
// boundary with a 400 naming the field, never reach the database as a 500. A NUL byte in a
// request's reason or its result, and an audit page `before` past bigint's range, used to
// answer 500; now 400, and nothing changed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { AuditList, Institution, JournalRequest } from '@dp/protocol';
import { OMSK_CALENDAR, createTestDatabase, startApi, type ApiUnderTest } from './support.ts';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let omsk: Institution;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 3 });
  api = await startApi({ prisma, now: new Date('2026-03-01T00:00:00Z') });
  omsk = (await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR })).body;
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const counts = async () => ({
  requests: await prisma.request.count(),
  audit: await prisma.auditEvent.count(),
});

describe('control characters in free text', () => {
  test("a NUL in a request's reason: 400 on the field, no row, no journal number used", async () => {
    const before = await counts();
    const r = await api.post(`/institutions/${omsk.id}/requests`, { channel: 'phone', fromWhom: 'Мать', reason: 'Помогите\u0000' });
    expect(r.status).toBe(400);
    expect(r.error.code).toBe('bad_request');
    expect(JSON.stringify(r.body)).toMatch(/reason/);
    expect(await counts()).toEqual(before);
    // The next request still gets number 1: the refused one took nothing.
    const ok = await api.post<JournalRequest>(`/institutions/${omsk.id}/requests`, {
      channel: 'phone',
      fromWhom: 'Мать',
      reason: 'Помогите,\nпожалуйста\t(с переносом строки)',
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ number: 1, reason: 'Помогите,\nпожалуйста\t(с переносом строки)' });
  });

  test.each([
    ['NUL', '\u0000'],
    ['escape', '\u001b[2J'],
    ['carriage return', '\r'],
    ['C1 control', '\u0085'],
  ])("a %s in a request's result: 400, the row unchanged", async (_name, control) => {
    const created = (
      await api.post<JournalRequest>(`/institutions/${omsk.id}/requests`, { channel: 'visit', fromWhom: 'Отец', reason: 'Консультация' })
    ).body;
    const row = await prisma.request.findUniqueOrThrow({ where: { id: created.id } });
    const r = await api.patch(`/institutions/${omsk.id}/requests/${created.id}`, { status: 'completed', result: `Готово${control}и всё` });
    expect(r.status).toBe(400);
    expect(await prisma.request.findUniqueOrThrow({ where: { id: created.id } })).toEqual(row);
  });
});

describe('numeric strings in the query', () => {
  test('audit `before` past bigint: 400 naming it; the largest bigint pages normally', async () => {
    const huge = await api.get(`/audit?before=9999999999999999999`);
    expect(huge.status).toBe(400);
    expect(huge.error.code).toBe('bad_request');
    expect(JSON.stringify(huge.body)).toMatch(/before/);
    expect((await api.get(`/audit?before=9223372036854775808`)).status).toBe(400);
    const largest = await api.get<AuditList>(`/audit?before=9223372036854775807`);
    expect(largest.status).toBe(200);
    expect(largest.body.events.length).toBeGreaterThan(0);
  });

  test('an instant in year 0 (UTC): 400, not a database error; no row', async () => {
    const before = await counts();
    const range = (from: string, to: string) => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    expect((await api.get(`/institutions/${omsk.id}/requests?${range('0000-01-01T00:00:00Z', '0000-01-02T00:00:00Z')}`)).status).toBe(400);
    expect((await api.get(`/audit?${range('0001-01-01T00:00:00+14:00', '0001-01-02T00:00:00Z')}`)).status).toBe(400);
    const r = await api.post(`/institutions/${omsk.id}/requests`, {
      channel: 'phone',
      fromWhom: 'Мать',
      reason: 'Помогите',
      receivedAt: '0000-06-01T00:00:00Z',
    });
    expect(r.status).toBe(400);
    expect(await counts()).toEqual(before);
  });
});
