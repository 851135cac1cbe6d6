// A department's own rows of the monthly report form, against the real server and database:
// the admin saves a new version (field errors in Russian, a stale version refused, the head may
// not); a live month shows the added row, a submitted one keeps its form; the head's entries are
// validated and refused once the month is submitted; submission waits for every added row;
// the consolidated totals sum the row and the XLSX files carry it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import ExcelJS from 'exceljs';
import { createPrisma, type PrismaClient } from '@dp/db';
import { reportFormV1, type ConsolidatedMonth, type Institution, type InstitutionReportMonth, type ReportFormState } from '@dp/protocol';
import { lockMonth } from '../../src/reports/form-versions.ts';
import { OMSK_CALENDAR, createTestDatabase, startApi, type ApiUnderTest, type Identity } from '../api/support.ts';

// The 25th of February in Omsk: January's period is long over, February's ended yesterday.
const NOW = new Date('2026-02-25T03:00:00Z');
const FEB = '2026-02';
const JAN = '2026-01';
const TRIPS = 'Выезды мобильной бригады';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let a: Institution;
let b: Institution;
let headA: Identity;
let headB: Identity;
let formPath: string;
/** The key the server gave the added row. */
let trips: string;

const monthPath = (inst: Institution, month: string) => `/institutions/${inst.id}/reports/${month}`;

async function institution(name: string): Promise<Institution> {
  const res = await api.post<Institution>('/institutions', { name, calendar: OMSK_CALENDAR });
  expect(res.status).toBe(201);
  return res.body;
}

async function xlsxLines(path: string, who: Identity): Promise<unknown[][]> {
  const res = await fetch(api.base + path, { headers: { cookie: who.cookie } });
  expect(res.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await res.arrayBuffer());
  const lines: unknown[][] = [];
  book.worksheets[0]!.eachRow((row) => lines.push((row.values as unknown[]).slice(1)));
  return lines;
}

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  api = await startApi({ prisma, now: NOW });
  formPath = `/departments/${api.departmentId}/report-form`;
  a = await institution('КЦСОН Азовский');
  b = await institution('КЦСОН Большереченский');
  headA = await api.staff('head', a.id);
  headB = await api.staff('head', b.id);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

describe('the department’s form', () => {
  test('the built-in form until a version is saved; bad rows are field errors; only the admin saves', async () => {
    // January is submitted under the built-in form before anything is added.
    expect((await api.as(headA).post<InstitutionReportMonth>(`${monthPath(a, JAN)}/submit`, {})).body.formVersion).toBe(1);

    const initial = await api.get<ReportFormState>(formPath);
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({ version: 1, added: [], createdBy: null });
    expect(initial.body.builtIn.map((r) => r.key)).toEqual(reportFormV1.map((r) => r.key));
    expect(initial.body.sections.at(-1)).toEqual({ key: 'extra', label: 'Дополнительно' });

    const shape = await api.put(formPath, { baseVersion: 1, rows: [{ section: 'nonsense', label: 'ab' }] });
    expect(shape.status).toBe(400);
    expect(shape.error.details).toMatchObject({ 'rows.0.section': 'Выберите раздел', 'rows.0.label': 'Не короче 3 символов' });
    const unknown = await api.put(formPath, { baseVersion: 1, rows: [{ key: 'custom.zzzzzzzz', section: 'extra', label: TRIPS }] });
    expect(unknown.error.details).toEqual({ 'rows.0.key': 'Такой строки в форме нет' });
    const twice = await api.put(formPath, {
      baseVersion: 1,
      rows: [
        { section: 'problems', label: ' неявки ' },
        { section: 'extra', label: TRIPS },
        { section: 'extra', label: TRIPS },
      ],
    });
    expect([twice.status, twice.error.details]).toEqual([
      400,
      { 'rows.0.label': 'Такая строка в этом разделе уже есть', 'rows.2.label': 'Такая строка в этом разделе уже есть' },
    ]);
    expect((await api.as(headA).put(formPath, { baseVersion: 1, rows: [{ section: 'extra', label: TRIPS }] })).status).toBe(403);
    expect(await prisma.reportFormVersion.count()).toBe(0);

    const saved = await api.put<ReportFormState>(formPath, { baseVersion: 1, rows: [{ section: 'extra', label: `  ${TRIPS} ` }] });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 2, added: [{ section: 'extra', sectionLabel: 'Дополнительно', label: TRIPS }] });
    trips = saved.body.added[0]!.key;
    expect(trips).toMatch(/^custom\.[a-z0-9]{8}$/);
    expect((await api.put(formPath, { baseVersion: 1, rows: [] })).status).toBe(409); // someone saved meanwhile
    expect(await prisma.auditEvent.count({ where: { action: 'report.form_changed' } })).toBe(1);
  }, 20_000);

  test('a live month shows the added row; a submitted month keeps its form', async () => {
    const feb = (await api.as(headA).get<InstitutionReportMonth>(monthPath(a, FEB))).body;
    expect(feb.formVersion).toBe(2);
    expect(feb.rows.at(-1)).toMatchObject({ key: trips, label: TRIPS, section: 'extra', kind: 'count', manual: true });
    expect(feb.live[trips]).toBeNull();
    const jan = (await api.as(headA).get<InstitutionReportMonth>(monthPath(a, JAN))).body;
    expect(jan.formVersion).toBe(1);
    expect(jan.rows.map((r) => r.key)).not.toContain(trips);
  }, 20_000);
});

describe('the head’s entries', () => {
  test('validated (negative, fraction, unknown row → 400 on the field, nothing saved); submission waits for them', async () => {
    const path = `${monthPath(a, FEB)}/inputs`;
    const negative = await api.as(headA).put(path, { values: { [trips]: -1 } });
    expect([negative.status, negative.error.details]).toEqual([400, { [`values.${trips}`]: 'Не меньше 0' }]);
    const fraction = await api.as(headA).put(path, { values: { [trips]: 1.5 } });
    expect([fraction.status, fraction.error.details]).toEqual([400, { [`values.${trips}`]: 'Введите целое число' }]);
    const unknown = await api.as(headA).put(path, { values: { 'custom.00000000': 3, 'consultations.held': 1 } });
    expect([unknown.status, unknown.error.details]).toEqual([
      400,
      { 'values.custom.00000000': 'Такой строки в форме нет', 'values.consultations.held': 'Такой строки в форме нет' },
    ]);
    expect((await api.as(headB).put(path, { values: { [trips]: 1 } })).status).toBe(404);
    expect(await prisma.monthlyReportInput.count()).toBe(0);

    const early = await api.as(headA).post(`${monthPath(a, FEB)}/submit`, {});
    expect(early.status).toBe(409);
    expect(early.error.message).toContain(`«${TRIPS}»`);
    expect(early.error.details).toEqual({ [`values.${trips}`]: 'Введите число' });

    const entered = await api.as(headA).put<InstitutionReportMonth>(path, { values: { [trips]: 7 } });
    expect([entered.status, entered.body.live[trips]]).toEqual([200, 7]);
    const submitted = await api.as(headA).post<InstitutionReportMonth>(`${monthPath(a, FEB)}/submit`, {});
    expect(submitted.status).toBe(200);
    expect([submitted.body.formVersion, submitted.body.frozen![trips]]).toEqual([2, 7]);

    const late = await api.as(headA).put(path, { values: { [trips]: 9 } });
    expect([late.status, late.error.message]).toEqual([409, 'Отчёт за этот месяц уже отправлен: изменить его нельзя']);
    expect((await api.as(headA).get<InstitutionReportMonth>(monthPath(a, FEB))).body.live[trips]).toBe(7);
    expect(await prisma.auditEvent.count({ where: { action: 'report.inputs_saved' } })).toBe(1);
  }, 20_000);

  test('an entry saved while the month is being submitted waits for the submission, then is refused', async () => {
    // The submission's transaction, held open: it has taken the month's lock and written the report.
    const MAR = '2026-03';
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const submission = prisma.$transaction(
      async (tx) => {
        await lockMonth(tx, b.id, MAR);
        await tx.monthlyReport.create({
          data: {
            institutionId: b.id,
            month: MAR,
            formVersion: 2,
            status: 'submitted',
            figures: {},
            submittedAt: NOW,
            submittedById: headB.user.id,
          },
        });
        locked();
        await held;
      },
      { timeout: 20_000 },
    );
    await isLocked;
    const entry = api.as(headB).put(`${monthPath(b, MAR)}/inputs`, { values: { [trips]: 4 } });
    await new Promise((r) => setTimeout(r, 500));
    release();
    await submission;
    const res = await entry;
    // Without the lock the entry would have read no report (not yet committed) and been saved.
    expect([res.status, res.error?.message]).toEqual([409, 'Отчёт за этот месяц уже отправлен: изменить его нельзя']);
    expect(await prisma.monthlyReportInput.count({ where: { institutionId: b.id, month: MAR } })).toBe(0);
    await prisma.monthlyReport.delete({ where: { institutionId_month: { institutionId: b.id, month: MAR } } });
  }, 30_000);

  test('the consolidated total sums the row; a later version drops it from live months only; the XLSX files carry it', async () => {
    expect((await api.as(headB).put(`${monthPath(b, FEB)}/inputs`, { values: { [trips]: 5 } })).status).toBe(200);
    const path = `/departments/${api.departmentId}/reports/${FEB}`;
    const both = (await api.get<ConsolidatedMonth>(path)).body;
    expect(both.rows.map((r) => r.key)).toContain(trips);
    expect(both.totals[trips]).toBe(12);

    const consolidated = await xlsxLines(`${path}/export?format=xlsx`, api.admin);
    const r = both.rows.findIndex((row) => row.key === trips);
    const line = consolidated[r + 1]!;
    expect(line.slice(0, 2)).toEqual(['Дополнительно', TRIPS]);
    expect(both.institutions.map((i, j) => [i.name, line[2 + j] ?? null])).toEqual(
      both.institutions.map((i) => [i.name, i.institutionId === a.id ? 7 : i.institutionId === b.id ? 5 : null]),
    );
    expect(line[2 + both.institutions.length]).toMatchObject({ result: 12 });
    const own = await xlsxLines(`${monthPath(a, FEB)}/export?format=xlsx`, headA);
    expect(own.at(-1)).toEqual(['Дополнительно', TRIPS, 7]);

    // Version 3: the row removed, another added (a fresh key, never the old one).
    const v3 = await api.put<ReportFormState>(formPath, { baseVersion: 2, rows: [{ section: 'problems', label: 'Выезды на дом' }] });
    expect(v3.body.version).toBe(3);
    expect(v3.body.added[0]!.key).not.toBe(trips);
    const afterRemoval = (await api.get<ConsolidatedMonth>(path)).body;
    expect(afterRemoval.totals[trips]).toBe(7); // a's submitted month keeps it; b's live month no longer has it
    expect(afterRemoval.rows.find((r) => r.key === v3.body.added[0]!.key)).toMatchObject({ section: 'problems', manual: true });
    expect((await api.as(headA).get<InstitutionReportMonth>(monthPath(a, FEB))).body.frozen![trips]).toBe(7);
    const liveB = (await api.as(headB).get<InstitutionReportMonth>(monthPath(b, FEB))).body;
    expect(liveB.formVersion).toBe(3);
    expect(liveB.rows.map((r) => r.key)).not.toContain(trips);
  }, 20_000);
});
