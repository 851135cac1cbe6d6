// The consultation journal against the real router and PostgreSQL: rows filled from what
// happened (stays with audio-only time, the telephone outcome, the e-mail answer, the pre-check,
// the quality summary, the moves, the protocol), the institution's local days (Asia/Omsk, UTC+6),
// who sees what, and the export read back cell by cell (exceljs) and as CSV.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import ExcelJS from 'exceljs';
import { allocateRequestNumber, createPrisma, type Prisma, type PrismaClient } from '@dp/db';
import type { Institution, JournalPage, JournalRow } from '@dp/protocol';
import { OMSK_CALENDAR, createTestDatabase, startApi, type ApiUnderTest, type Identity } from '../api/support.ts';

const NOW = new Date('2026-03-10T00:00:00Z');
const MIN = 60_000;
const at = (iso: string) => new Date(iso);

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let institution: Institution;
let otherInstitution: Institution;
let head: Identity;
let specialist: Identity;
let colleague: Identity;
let worker: Identity;
let foreignHead: Identity;
const ids = {} as Record<'early' | 'audio' | 'video' | 'phone' | 'email' | 'moved' | 'cancelled', string>;

async function request(data: Partial<Prisma.RequestUncheckedCreateInput>): Promise<string> {
  const number = await allocateRequestNumber(prisma, institution.id, 2026);
  const r = await prisma.request.create({
    data: {
      institutionId: institution.id,
      year: 2026,
      number,
      receivedAt: at('2026-02-20T04:00:00Z'),
      channel: 'phone',
      fromWhom: 'Мать',
      reason: 'Повод из заявки',
      ...data,
    },
  });
  return r.id;
}

async function consultation(
  specialistId: string,
  data: Partial<Prisma.ConsultationUncheckedCreateInput> & { start: Date },
): Promise<string> {
  const c = await prisma.consultation.create({
    data: {
      institutionId: institution.id,
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      durationMinutes: 45,
      ...data,
      specialists: { create: [{ specialistId }] },
    },
  });
  return c.id;
}

/** A client's stays in the room: [joined, left, audio-only minutes]. */
async function clientStays(consultationId: string, stays: [string, string, number][], role: 'client' | 'attendee' = 'client') {
  const p = await prisma.participant.create({ data: { consultationId, role, displayName: 'Гость' } });
  for (const [joined, left, audioMin] of stays)
    await prisma.roomVisit.create({
      data: { consultationId, participantId: p.id, joinedAt: at(joined), leftAt: at(left), audioOnlyMs: audioMin * MIN },
    });
  return p.id;
}

const quality = (scoreAvg: number) => ({
  samples: 10,
  scoreAvg,
  scoreMin: scoreAvg,
  lossPercentAvg: 0,
  lossPercentMax: 0,
  rttMsAvg: 50,
  rttMsMax: 80,
  bitrateAvg: 500,
  alerts: {},
});

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  api = await startApi({ prisma, now: NOW, session: { idleSeconds: 30 * 86400, absoluteSeconds: 60 * 86400 } });
  institution = (await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR })).body;
  otherInstitution = (await api.post<Institution>('/institutions', { name: 'КЦСОН Тара', calendar: OMSK_CALENDAR })).body;
  head = await api.staff('head', institution.id);
  specialist = await api.staff('specialist', institution.id);
  colleague = await api.staff('specialist', institution.id);
  worker = await api.staff('social_worker', institution.id);
  foreignHead = await api.staff('head', otherInstitution.id);
  const S = specialist.user.id;

  // 1 March 19:00 UTC is 2 March 01:00 in Omsk: inside the period (a UTC filter would miss it).
  ids.early = await consultation(S, { start: at('2026-03-01T19:00:00Z'), state: 'no_show' });

  // Online, audio only for 18 of its client's 33 minutes in the room (≥ half): «только звук».
  const r1 = await request({ childName: 'Иван', childAge: 7, representativeName: 'Петрова Анна', recurrence: 'repeat' });
  ids.audio = await consultation(S, {
    start: at('2026-03-03T04:00:00Z'),
    state: 'ended',
    requestId: r1,
    startedAt: at('2026-03-03T04:02:00Z'),
    endedAt: at('2026-03-03T04:40:00Z'),
    qualitySummary: quality(4.5),
    note: 'Пришли вдвоём',
  });
  await clientStays(ids.audio, [
    ['2026-03-03T04:02:00Z', '2026-03-03T04:20:00Z', 12],
    ['2026-03-03T04:25:00Z', '2026-03-03T04:40:00Z', 6],
  ]);
  await prisma.precheckResult.create({
    data: { consultationId: ids.audio, specialistId: S, at: at('2026-03-03T03:35:00Z'), passed: true },
  });
  await prisma.protocolVersion.create({
    data: { consultationId: ids.audio, version: 1, final: true, reason: 'Повод из протокола', topic: 'family', authorId: S },
  });

  // The colleague's, anonymous, with video; a poor connection.
  const r2 = await request({ anonymous: true, fromWhom: 'Аноним', reason: 'Анонимный повод' });
  ids.video = await consultation(colleague.user.id, {
    start: at('2026-03-03T06:00:00Z'),
    state: 'ended',
    requestId: r2,
    topic: 'learning',
    startedAt: at('2026-03-03T06:00:00Z'),
    endedAt: at('2026-03-03T06:30:00Z'),
    qualitySummary: quality(2),
  });
  await clientStays(ids.video, [['2026-03-03T06:00:00Z', '2026-03-03T06:30:00Z', 14]]);
  await prisma.precheckResult.create({ data: { consultationId: ids.video, specialistId: colleague.user.id, passed: false } });

  // By telephone: held for 25 minutes (the outcome's startedAt … endedAt).
  ids.phone = await consultation(S, {
    start: at('2026-03-04T05:00:00Z'),
    form: 'phone',
    state: 'ended',
    startedAt: at('2026-03-04T05:00:00Z'),
    endedAt: at('2026-03-04T05:25:00Z'),
  });
  // By e-mail: answered, no time.
  ids.email = await consultation(S, {
    start: at('2026-03-04T08:00:00Z'),
    form: 'email',
    state: 'ended',
    endedAt: at('2026-03-04T09:00:00Z'),
  });
  // Moved twice (from the 2nd to the 4th to the 5th): one row, at its new time.
  ids.moved = await consultation(S, { start: at('2026-03-05T04:00:00Z') });
  for (const [previous, when] of [
    ['2026-03-02T04:00:00Z', '2026-02-25T04:00:00Z'],
    ['2026-03-04T04:00:00Z', '2026-02-26T04:00:00Z'],
  ] as const)
    await prisma.consultationTransition.create({
      data: {
        consultationId: ids.moved,
        event: 'reschedule',
        fromState: 'planned',
        toState: 'planned',
        at: at(when),
        previousStart: at(previous),
      },
    });
  ids.cancelled = await consultation(S, { start: at('2026-03-05T08:00:00Z'), state: 'cancelled' });
  // 6 March 18:30 UTC is 7 March 00:30 in Omsk: after the period.
  await consultation(S, { start: at('2026-03-06T18:30:00Z') });
}, 90_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const path = (q: string) => `/institutions/${institution.id}/journal?from=2026-03-02&to=2026-03-06${q}`;
const byId = (rows: JournalRow[]) => Object.fromEntries(rows.map((r) => [r.consultationId, r]));

describe('the journal of a period', () => {
  test('one row per consultation of the local days, by date, each filled from what happened', async () => {
    const res = await api.as(head).get<JournalPage>(path(''));
    expect(res.status).toBe(200);
    const { rows, total, timeZone } = res.body;
    expect(timeZone).toBe('Asia/Omsk');
    expect(total).toBe(7);
    expect(rows.map((r) => r.consultationId)).toEqual([ids.early, ids.audio, ids.video, ids.phone, ids.email, ids.moved, ids.cancelled]);
    expect(rows.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const r = byId(rows);
    expect(r[ids.early]).toMatchObject({ date: '2026-03-02', state: 'no_show', form: null, durationMinutes: null });
    expect(r[ids.audio]).toMatchObject({
      date: '2026-03-03',
      plannedStart: '2026-03-03T04:00:00.000Z',
      startedAt: '2026-03-03T04:02:00.000Z',
      durationMinutes: 38,
      specialists: [specialist.user.displayName],
      childName: 'Иван',
      childAge: 7,
      representativeName: 'Петрова Анна',
      anonymous: false,
      clientCount: 1,
      recurrence: 'repeat',
      form: 'online_audio',
      precheck: 'passed',
      quality: 'good',
      reschedules: 0,
      state: 'ended',
      reason: 'Повод из протокола',
      topic: 'family',
      protocolFinal: true,
      note: 'Пришли вдвоём',
    });
    expect(r[ids.video]).toMatchObject({
      durationMinutes: 30,
      form: 'online_video', // 14 of 30 minutes audio only: less than half
      childName: null,
      representativeName: null,
      anonymous: true,
      recurrence: 'first',
      precheck: 'failed',
      quality: 'poor',
      reason: 'Анонимный повод', // no protocol: the request's words
      topic: 'learning',
      protocolFinal: false,
    });
    expect(r[ids.phone]).toMatchObject({ form: 'phone', durationMinutes: 25, startedAt: '2026-03-04T05:00:00.000Z', precheck: null });
    expect(r[ids.email]).toMatchObject({ form: 'email', durationMinutes: null, startedAt: null });
    expect(r[ids.moved]).toMatchObject({ date: '2026-03-05', reschedules: 2, state: 'planned', form: null });
    expect(r[ids.cancelled]).toMatchObject({ state: 'cancelled', form: null });
  });

  test('a page past the end is empty and keeps the total', async () => {
    const res = await api.as(head).get<JournalPage>(path('&page=2'));
    expect(res.body).toMatchObject({ rows: [], total: 7, page: 2, pageSize: 50 });
  });

  test('a specialist sees only their own; the head filters by specialist', async () => {
    const own = await api.as(specialist).get<JournalPage>(path(`&specialistId=${colleague.user.id}`));
    expect(own.status).toBe(200);
    expect(own.body.rows.map((r) => r.consultationId)).not.toContain(ids.video);
    expect(own.body.total).toBe(6);
    const filtered = await api.as(head).get<JournalPage>(path(`&specialistId=${colleague.user.id}`));
    expect(filtered.body.rows.map((r) => r.consultationId)).toEqual([ids.video]);
    const sw = await api.as(worker).get<JournalPage>(path(''));
    expect(sw.body.total).toBe(7);
  });

  test('no names for the department admin; another institution is not found', async () => {
    expect((await api.get(path(''))).status).toBe(403);
    expect((await api.as(foreignHead).get(path(''))).status).toBe(404);
    expect(
      (await api.as(foreignHead).get(`/institutions/${institution.id}/journal/export?from=2026-03-02&to=2026-03-06&format=csv`)).status,
    ).toBe(404);
  });

  test('bad input: an unknown specialist, a period the wrong way round, a format that is none', async () => {
    const unknown = await api.as(head).get(path(`&specialistId=${foreignHead.user.id}`));
    expect(unknown.status).toBe(404);
    expect(unknown.error.details).toMatchObject({ specialistId: expect.any(String) });
    const backwards = await api.as(head).get(`/institutions/${institution.id}/journal?from=2026-03-06&to=2026-03-02`);
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.error)).toContain('to');
    const format = await api.as(head).get(`/institutions/${institution.id}/journal/export?from=2026-03-02&to=2026-03-06&format=pdf`);
    expect(format.status).toBe(400);
  });
});

describe('the export', () => {
  const download = async (who: Identity, format: 'xlsx' | 'csv') => {
    const res = await fetch(`${api.base}/institutions/${institution.id}/journal/export?from=2026-03-02&to=2026-03-06&format=${format}`, {
      headers: { cookie: who.cookie },
    });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  test('XLSX: the same rows as the screen, cell by cell; the export is audited without its text', async () => {
    const screen = (await api.as(head).get<JournalPage>(path(''))).body.rows;
    const before = await prisma.auditEvent.count({ where: { action: 'journal.exported' } });
    const { res, bytes } = await download(head, 'xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 12)).toEqual([
      '№',
      'Дата',
      'Время начала (план/факт)',
      'Длительность, мин',
      'Ребёнок',
      'Возраст',
      'Законный представитель',
      'Первичное/повторное',
      'Повод обращения',
      'Тематика',
      'Форма',
      'Примечание',
    ]);
    expect(sheet.rowCount).toBe(1 + screen.length);
    const words = {
      online_audio: 'Онлайн (только звук)',
      online_video: 'Онлайн (видео)',
      phone: 'По телефону',
      email: 'По электронной почте',
    };
    screen.forEach((row, i) => {
      const cells = sheet.getRow(i + 2);
      const v = (col: number) => cells.getCell(col).value ?? null;
      expect(v(1)).toBe(row.number);
      expect(v(2)).toEqual(new Date(`${row.date}T00:00:00Z`));
      expect(v(4)).toBe(row.durationMinutes);
      expect(v(5)).toBe(row.anonymous ? 'Анонимно' : row.childName);
      expect(v(6)).toBe(row.childAge);
      expect(v(7)).toBe(row.anonymous ? 'Анонимно' : row.representativeName);
      expect(v(9)).toBe(row.reason);
      expect(v(11)).toBe(row.form ? words[row.form] : null);
      expect(v(12)).toBe(row.note);
      expect(v(13)).toBe(row.specialists.join('; '));
      expect(v(17)).toBe(row.reschedules);
    });
    // Local wall times, planned / actual.
    expect(sheet.getRow(3).getCell(3).value).toBe('10:00 / 10:02');
    expect(sheet.getRow(3).getCell(10).value).toBe('Семейные проблемы');
    expect(sheet.getRow(3).getCell(8).value).toBe('Повторное');
    expect(sheet.getRow(7).getCell(3).value).toBe('10:00 / —');
    const events = await prisma.auditEvent.findMany({ where: { action: 'journal.exported' }, orderBy: { at: 'asc' } });
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({ actorId: head.user.id, targetId: institution.id, institutionId: institution.id });
    expect(JSON.stringify(events.at(-1)!.details)).not.toMatch(/Иван|Петрова|Повод/);
  });

  test('CSV for Russian Excel: BOM, `;`, the Cyrillic header line; a specialist gets only their own rows', async () => {
    const { res, bytes } = await download(specialist, 'csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]!.split(';').slice(0, 4)).toEqual(['№', 'Дата', 'Время начала (план/факт)', 'Длительность, мин']);
    expect(lines).toHaveLength(1 + 6);
    expect(lines.join('\n')).not.toContain('Анонимный повод');
    expect(lines[2]).toContain('03.03.2026');
  });
});

describe('the group registry export', () => {
  test("a webinar's participants with their minutes and the host's notes, read back; audited", async () => {
    const webinar = await consultation(specialist.user.id, {
      start: at('2026-03-05T06:00:00Z'),
      kind: 'webinar',
      direction: 'specialist_specialist',
      state: 'ended',
      topic: 'crisis',
    });
    await prisma.participant.create({
      data: { consultationId: webinar, role: 'host', staffUserId: specialist.user.id, displayName: 'Ведущая' },
    });
    const a = await clientStays(webinar, [['2026-03-05T06:00:00Z', '2026-03-05T06:40:00Z', 0]], 'attendee');
    await clientStays(webinar, [['2026-03-05T06:10:00Z', '2026-03-05T06:25:00Z', 0]], 'attendee');
    await prisma.participant.update({ where: { id: a }, data: { registryNote: 'Задала три вопроса' } });
    const res = await fetch(`${api.base}/consultations/${webinar}/registry/export?format=xlsx`, { headers: { cookie: specialist.cookie } });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 5)).toEqual(['№', 'Дата', 'Специалист', 'Тема']);
    const attendees = [2, 3, 4].map((n) => sheet.getRow(n)).filter((r) => r.getCell(6).value === 'Участник');
    expect(attendees.map((r) => r.getCell(9).value)).toEqual([40, 15]);
    expect(attendees[0]!.getCell(11).value).toBe('Задала три вопроса');
    expect(sheet.getRow(2).getCell(4).value).toBe('Кризисные ситуации');
    // The total under the minutes: the formula and its value.
    const total = sheet.getRow(5).getCell(9).value as { formula: string; result: number };
    expect(total).toMatchObject({ formula: 'SUM(I2:I4)', result: 55 });
    expect(await prisma.auditEvent.count({ where: { action: 'registry.exported', targetId: webinar } })).toBe(1);
    // The department admin has no names: refused.
    expect((await api.get(`/consultations/${webinar}/registry/export?format=xlsx`)).status).toBe(403);
  });
});
