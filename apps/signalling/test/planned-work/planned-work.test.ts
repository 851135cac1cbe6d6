// Planned work through the API on a real PostgreSQL: a client's route sheet with its lines and
// their planned / booked / held consultations (derived from the timetable), the month's act of
// services rendered under ИППСУ / ИПСР in the institution's local month (Asia/Kamchatka, where
// the local month is not the UTC month) with its XLSX read back by exceljs, the dyad
// programme's evaluation with its validation, and access from another institution.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import ExcelJS from 'exceljs';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { Client, DyadEvaluation, DyadEvaluationView, Institution, RouteSheet, RouteSheetList, ServiceAct } from '@dp/protocol';
import { applyEvent, bookConsultation, forceStateForTest, pathTo } from '../../src/consultations/lifecycle-writer.ts';
import { OMSK_CALENDAR, createTestDatabase, startApi, type ApiUnderTest, type Identity } from '../api/support.ts';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let kam: Institution;
let tara: Institution;
let worker: Identity;
let psychologist: Identity;
let lawyer: Identity;
let stranger: Identity;
let taraWorker: Identity;
let taraHead: Identity;
let anna: Client;
let boris: Client;
const ids: Record<string, string> = {};

const NOW = new Date('2026-04-05T00:00:00Z');
let requestNumber = 0;

async function requestOf(institutionId: string, clientId: string): Promise<string> {
  requestNumber += 1;
  const row = await prisma.request.create({
    data: {
      institutionId,
      year: 2026,
      number: requestNumber,
      receivedAt: new Date('2026-02-20T00:00:00Z'),
      channel: 'phone',
      fromWhom: 'Мама',
      reason: 'Консультация',
      clientId,
    },
  });
  return row.id;
}

/** A consultation of `requestId` with `specialistId`, walked to `state`; an ended one lasts `minutes` by the room's clock. */
async function consultation(
  requestId: string,
  specialistId: string,
  start: string,
  state: 'planned' | 'ended' | 'cancelled',
  form: 'online' | 'phone' = 'online',
  minutes = 0,
): Promise<string> {
  const at = new Date(start);
  const id = await bookConsultation(
    prisma,
    {
      institutionId: kam.id,
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'planned',
      requestId,
      start: at,
      durationMinutes: 30,
      form,
      specialists: { create: [{ specialistId }] },
    },
    { actorId: null, at: new Date('2026-02-21T00:00:00Z') },
  );
  if (state === 'ended' && form === 'online') {
    await forceStateForTest(prisma, id, 'live', { at });
    const last = pathTo('ended').at(-1)!;
    await applyEvent(prisma, id, last, { actorId: null, at: new Date(at.getTime() + minutes * 60_000) });
  } else if (state === 'ended') {
    // A telephone consultation is held by its outcome (the call's start and length).
    await applyEvent(prisma, id, 'held_by_phone', {
      actorId: null,
      at: new Date(at.getTime() + minutes * 60_000),
      data: { startedAt: at },
    });
  } else if (state !== 'planned') {
    await forceStateForTest(prisma, id, state, { at });
  }
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  api = await startApi({ prisma, now: NOW });
  kam = (
    await api.post<Institution>('/institutions', { name: 'КЦСОН Елизово', calendar: { ...OMSK_CALENDAR, timeZone: 'Asia/Kamchatka' } })
  ).body;
  tara = (await api.post<Institution>('/institutions', { name: 'КЦСОН Тара', calendar: OMSK_CALENDAR })).body;
  worker = await api.staff('social_worker', kam.id);
  psychologist = await api.staff('specialist', kam.id);
  lawyer = await api.staff('specialist', kam.id);
  stranger = await api.staff('specialist', kam.id);
  taraWorker = await api.staff('social_worker', tara.id);
  taraHead = await api.staff('head', tara.id);
  const profile = (userId: string, profession: 'psychologist' | 'lawyer', title: string) =>
    prisma.specialistProfile.upsert({ where: { userId }, create: { userId, profession, title }, update: { profession, title } });
  await profile(psychologist.user.id, 'psychologist', 'Педагог-психолог');
  await profile(lawyer.user.id, 'lawyer', 'Юрисконсульт');
  const intake = { phone: '+7 900 000-00-01', consentMethod: 'written', consentAt: '2026-02-01T00:00:00Z' };
  anna = (
    await api.as(worker).post<Client>(`/institutions/${kam.id}/clients`, { ...intake, representativeName: 'Иванова Анна', ippsu: true })
  ).body;
  boris = (await api.as(worker).post<Client>(`/institutions/${kam.id}/clients`, { ...intake, representativeName: 'Борисов Борис' })).body;
  const annaRequest = await requestOf(kam.id, anna.id);
  const borisRequest = await requestOf(kam.id, boris.id);
  // Kamchatka is UTC+12: 08:00 on 1 March locally is 20:00 on 28 February UTC; 05:00 on 1 April
  // locally is 17:00 on 31 March UTC.
  ids.march2 = await consultation(annaRequest, psychologist.user.id, '2026-02-28T20:00:00Z', 'ended', 'online', 40);
  ids.march10phone = await consultation(annaRequest, psychologist.user.id, '2026-03-09T23:00:00Z', 'ended', 'phone', 25);
  ids.march12cancelled = await consultation(annaRequest, psychologist.user.id, '2026-03-11T23:00:00Z', 'cancelled');
  ids.april1 = await consultation(annaRequest, psychologist.user.id, '2026-03-31T17:00:00Z', 'ended', 'online', 25);
  ids.april20planned = await consultation(annaRequest, psychologist.user.id, '2026-04-19T23:00:00Z', 'planned');
  ids.lawyerOutsideRoute = await consultation(annaRequest, lawyer.user.id, '2026-03-15T23:00:00Z', 'ended', 'online', 15);
  ids.borisMarch = await consultation(borisRequest, psychologist.user.id, '2026-03-16T23:00:00Z', 'ended', 'online', 30);
}, 90_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const sheets = (inst: Institution, client: Client) => `/institutions/${inst.id}/clients/${client.id}/route-sheets`;
const sheetBody = () => ({
  targetGroup: 'disabled_children',
  startDate: '2026-03-01',
  endDate: '2026-04-30',
  note: 'Сопровождение семьи',
  lines: [
    { profession: 'psychologist', form: 'online', specialistId: psychologist.user.id, plannedCount: 8, frequency: 'weekly' },
    { profession: 'psychologist', form: 'phone', specialistId: psychologist.user.id, plannedCount: 2, frequency: 'monthly' },
  ],
});

describe('route sheets', () => {
  let sheet: RouteSheet;

  test('a sheet with its lines: planned, booked and held per line from the timetable (cancelled not counted)', async () => {
    const res = await api.as(worker).post<RouteSheet>(sheets(kam, anna), sheetBody());
    expect(res.status).toBe(201);
    sheet = res.body;
    expect(sheet).toMatchObject({ targetGroup: 'disabled_children', startDate: '2026-03-01', endDate: '2026-04-30', status: 'active' });
    const [online, phone] = sheet.lines;
    expect(online).toMatchObject({ form: 'online', plannedCount: 8, frequency: 'weekly', held: 2, booked: 1 });
    expect(online!.consultations.map((c) => c.id)).toEqual([ids.march2, ids.april1, ids.april20planned]);
    expect(phone).toMatchObject({ form: 'phone', plannedCount: 2, held: 1, booked: 0 });
    const row = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'route_sheet.created', targetId: sheet.id } });
    expect(row.actorId).toBe(worker.user.id);
    expect(JSON.stringify(row.details)).not.toContain('Сопровождение');

    const list = await api.as(worker).get<RouteSheetList>(sheets(kam, anna));
    expect(list.status).toBe(200);
    expect(list.body.sheets.map((s) => s.id)).toEqual([sheet.id]);
  });

  test('bad input: field errors, nothing written', async () => {
    const before = await prisma.routeSheet.count();
    const cases: [unknown, string][] = [
      [{ ...sheetBody(), endDate: '2026-02-01' }, 'endDate'],
      [{ ...sheetBody(), lines: [{ ...sheetBody().lines[0], specialistId: taraWorker.user.id }] }, 'lines.0.specialistId'],
      [{ ...sheetBody(), lines: [{ ...sheetBody().lines[0], plannedCount: 0 }] }, 'lines.0.plannedCount'],
      [{ ...sheetBody(), lines: [] }, 'lines'],
      [{ ...sheetBody(), targetGroup: 'nobody' }, 'targetGroup'],
    ];
    for (const [body, field] of cases) {
      const res = await api.as(worker).post(sheets(kam, anna), body);
      expect(res.status).toBe(400);
      expect(res.error.details).toHaveProperty([field]);
    }
    expect(await prisma.routeSheet.count()).toBe(before);
  });

  test('an update replaces the lines and closes the sheet', async () => {
    const res = await api.as(worker).patch<RouteSheet>(`/institutions/${kam.id}/route-sheets/${sheet.id}`, {
      status: 'closed',
      lines: [{ profession: 'lawyer', form: 'online', specialistId: lawyer.user.id, plannedCount: 1, frequency: 'once' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('closed');
    expect(res.body.lines).toHaveLength(1);
    expect(res.body.lines[0]).toMatchObject({ profession: 'lawyer', held: 1, booked: 0 });
    const bad = await api.as(worker).patch(`/institutions/${kam.id}/route-sheets/${sheet.id}`, { endDate: '2026-02-28' });
    expect(bad.status).toBe(400);
    expect(bad.error.details).toHaveProperty(['endDate']);
  });

  test("access: another institution's staff get 404; a specialist reads only a client on their route; a specialist does not plan", async () => {
    expect((await api.as(taraWorker).get(sheets(kam, anna))).status).toBe(404);
    expect((await api.as(taraWorker).patch(`/institutions/${kam.id}/route-sheets/${sheet.id}`, { status: 'active' })).status).toBe(404);
    expect((await api.as(taraWorker).get(`/institutions/${kam.id}/clients/${anna.id}/service-act?month=2026-03`)).status).toBe(404);
    expect((await api.as(worker).get(sheets(tara, anna))).status).toBe(404);
    expect((await api.as(stranger).get(sheets(kam, anna))).status).toBe(404);
    expect((await api.as(lawyer).get(sheets(kam, anna))).status).toBe(200);
    expect((await api.as(psychologist).post(sheets(kam, anna), sheetBody())).status).toBe(403);
  });
});

describe('the act of services rendered', () => {
  const act = (client: Client, month: string) => `/institutions/${kam.id}/clients/${client.id}/service-act?month=${month}`;

  test("counts the flagged client's held consultations of the institution's local month", async () => {
    const march = await api.as(worker).get<ServiceAct>(act(anna, '2026-03'));
    expect(march.status).toBe(200);
    expect(march.body.programmes).toEqual(['ippsu']);
    expect(march.body.rows.map((r) => [r.consultationId, r.date, r.form, r.minutes, r.profession])).toEqual([
      [ids.march2, '2026-03-01', 'online', 40, 'psychologist'],
      [ids.march10phone, '2026-03-10', 'phone', 25, 'psychologist'],
      [ids.lawyerOutsideRoute, '2026-03-16', 'online', 15, 'lawyer'],
    ]);
    expect(march.body.totalMinutes).toBe(80);
    const april = await api.as(worker).get<ServiceAct>(act(anna, '2026-04'));
    expect(april.body.rows.map((r) => r.consultationId)).toEqual([ids.april1]);
    const february = await api.as(worker).get<ServiceAct>(act(anna, '2026-02'));
    expect(february.body.rows).toEqual([]);
  });

  test('a client without ИППСУ or ИПСР has no services', async () => {
    const res = await api.as(worker).get<ServiceAct>(act(boris, '2026-03'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ programmes: [], rows: [], totalMinutes: 0 });
  });

  test('a bad month is a field error', async () => {
    const res = await api.as(worker).get(act(anna, '2026-13'));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.error.details)).toContain('month');
  });

  test('the XLSX read back: the same rows as the screen, dates as dates, a total with its formula', async () => {
    const screen = (await api.as(worker).get<ServiceAct>(act(anna, '2026-03'))).body;
    const res = await fetch(`${api.base}/institutions/${kam.id}/clients/${anna.id}/service-act.xlsx?month=2026-03`, {
      headers: { cookie: worker.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '№',
      'Дата',
      'Специалист',
      'Направление',
      'Форма',
      'Программа',
      'Длительность, мин',
      'Услуг',
    ]);
    screen.rows.forEach((r, i) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(1).value).toBe(i + 1);
      expect(row.getCell(2).value).toEqual(new Date(`${r.date}T00:00:00Z`));
      expect(row.getCell(3).value).toBe(r.specialist);
      expect(row.getCell(6).value).toBe('ИППСУ');
      expect(row.getCell(7).value).toBe(r.minutes);
    });
    expect(sheet.getRow(2).getCell(4).value).toBe('психолог');
    expect(sheet.getRow(3).getCell(5).value).toBe('по телефону');
    const total = sheet.getRow(screen.rows.length + 2);
    expect(total.getCell(1).value).toBe('Итого');
    expect(total.getCell(7).value).toEqual({ formula: 'SUM(G2:G4)', result: screen.totalMinutes });
    expect(total.getCell(8).value).toEqual({ formula: 'SUM(H2:H4)', result: 3 });
  });
});

describe("the dyad programme's evaluation", () => {
  let dyadId: string;
  const path = () => `/institutions/${kam.id}/dyads/${dyadId}/evaluation`;

  beforeAll(async () => {
    const dyad = await prisma.dyad.create({
      data: {
        institutionId: kam.id,
        client1Id: anna.id,
        client1Motivation: 'low',
        client2Id: boris.id,
        client2Motivation: 'high',
        curatorId: psychologist.user.id,
      },
    });
    dyadId = dyad.id;
  });

  test('none until saved; bad input gets field errors and writes nothing', async () => {
    const empty = await api.as(psychologist).get<DyadEvaluationView>(path());
    expect(empty.status).toBe(200);
    expect(empty.body.evaluation).toBeNull();
    const cases: [unknown, string][] = [
      [{ dynamics: 'better', motivationEnd: ['high', 'high'] }, 'dynamics'],
      [{ dynamics: 'improved', motivationEnd: ['high'] }, 'motivationEnd'],
      [{ dynamics: 'improved', motivationEnd: ['high', 'medium'] }, 'motivationEnd.1'],
      [{ dynamics: 'improved', motivationEnd: ['high', 'high'], dynamicsNote: 'x'.repeat(4001) }, 'dynamicsNote'],
    ];
    for (const [body, field] of cases) {
      const res = await api.as(psychologist).put(path(), body);
      expect(res.status).toBe(400);
      expect(res.error.details).toHaveProperty([field]);
    }
    expect(await prisma.dyadEvaluation.count()).toBe(0);
  });

  test('the curator saves it; saved again it is replaced; audited without the text', async () => {
    const first = await api.as(psychologist).put<DyadEvaluation>(path(), {
      dynamics: 'improved',
      dynamicsNote: 'Семья стала активнее',
      motivationEnd: ['high', 'high'],
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      dynamics: 'improved',
      motivationStart: ['low', 'high'],
      motivationEnd: ['high', 'high'],
      evaluatedBy: { id: psychologist.user.id },
      evaluatedAt: NOW.toISOString(),
    });
    const second = await api.as(psychologist).put<DyadEvaluation>(path(), { dynamics: 'unchanged', motivationEnd: ['low', 'high'] });
    expect(second.body).toMatchObject({ dynamics: 'unchanged', dynamicsNote: null, motivationEnd: ['low', 'high'] });
    const rows = await prisma.auditEvent.findMany({ where: { targetId: dyadId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    expect(rows.map((r) => r.action)).toEqual(['dyad.evaluated', 'dyad.evaluation_changed']);
    expect(JSON.stringify(rows.map((r) => r.details))).not.toContain('Семья');
    const read = await api.as(worker).get<DyadEvaluationView>(path());
    expect(read.status).toBe(403);
  });

  test("access: another institution's staff and another specialist get 404", async () => {
    expect((await api.as(taraHead).get(path())).status).toBe(404);
    expect((await api.as(taraHead).put(path(), { dynamics: 'worse', motivationEnd: ['low', 'low'] })).status).toBe(404);
    expect((await api.as(stranger).get(path())).status).toBe(404);
    expect((await api.as(stranger).put(path(), { dynamics: 'worse', motivationEnd: ['low', 'low'] })).status).toBe(404);
  });
});
