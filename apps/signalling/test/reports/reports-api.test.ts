// The monthly reports against the real server and database: submission freezes the figures
// (a later change is listed as a correction, the frozen figure stays), the resource centre
// returns and accepts (an ordinary head may not), the consolidated month's totals, the
// exports read back cell by cell (XLSX with exceljs; CSV with its BOM, `;` and Cyrillic), the
// settings' field errors, the analytical note's draft, edit and send, and the drill-down's
// names for the institution's head only.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import ExcelJS from 'exceljs';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { ConsolidatedMonth, Institution, InstitutionReportMonth, ReportRecords } from '@dp/protocol';
import { OMSK_CALENDAR, createTestDatabase, startApi, type ApiUnderTest, type Identity } from '../api/support.ts';

// The 25th of February in Omsk (09:00 local): February's default period (25 Jan … 24 Feb) is over, its due day today.
const NOW = new Date('2026-02-25T03:00:00Z');
const MONTH = '2026-02';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let a: Institution;
let b: Institution;
let rc: Institution;
let headA: Identity;
let headB: Identity;
let headRc: Identity;
let requestNumber = 0;

async function institution(name: string): Promise<Institution> {
  const res = await api.post<Institution>('/institutions', { name, calendar: OMSK_CALENDAR });
  expect(res.status).toBe(201);
  return res.body;
}

/** A request received on a local day of February (Omsk, noon). */
async function requestOn(inst: Institution, day: string, name = 'Иванова Мария') {
  requestNumber += 1;
  await prisma.request.create({
    data: {
      institutionId: inst.id,
      year: 2026,
      number: requestNumber,
      receivedAt: new Date(`${day}T06:00:00Z`),
      channel: 'phone',
      contact: '+7 900 000-00-00',
      fromWhom: 'мать',
      representativeName: name,
      reason: 'Трудности в общении с подростком',
    },
  });
}

const monthPath = (inst: Institution) => `/institutions/${inst.id}/reports/${MONTH}`;
const consolidatedPath = () => `/departments/${api.departmentId}/reports/${MONTH}`;

async function download(path: string, who: Identity): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(api.base + path, { headers: { cookie: who.cookie } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  api = await startApi({ prisma, now: NOW });
  a = await institution('КЦСОН Азовский');
  b = await institution('КЦСОН Большереченский');
  rc = await institution('Ресурсный центр');
  // The resource centre far to the east (the consolidated month carries each institution's own zone).
  await prisma.institution.update({ where: { id: rc.id }, data: { resourceCentre: true, timeZone: 'Asia/Kamchatka' } });
  headA = await api.staff('head', a.id);
  headB = await api.staff('head', b.id);
  headRc = await api.staff('head', rc.id);
  await requestOn(a, '2026-02-02');
  await requestOn(a, '2026-02-10');
  await requestOn(a, '2026-01-20'); // before the period (25 Jan): not counted
  await requestOn(b, '2026-02-12');
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

describe('the institution’s month', () => {
  test('shows the form, live figures, the period and the due day; submission freezes them', async () => {
    const month = await api.as(headA).get<InstitutionReportMonth>(monthPath(a));
    expect(month.status).toBe(200);
    expect(month.body).toMatchObject({
      status: 'not_submitted',
      period: { firstDay: '2026-01-25', lastDay: '2026-02-24', timeZone: 'Asia/Omsk' },
      dueDate: '2026-02-25',
      overdue: false,
      frozen: null,
      canSubmit: true,
    });
    expect(month.body.live['requests.received']).toBe(2);
    expect(month.body.rows.map((r) => r.key)).toContain('feedback.specialist_work');
    expect(month.body.trend).toHaveLength(13);
    expect(month.body.trend.at(-1)).toMatchObject({ month: MONTH, requests: 2, frozen: false });

    const submitted = await api.as(headA).post<InstitutionReportMonth>(`${monthPath(a)}/submit`, {});
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', canSubmit: false, corrections: [] });
    expect(submitted.body.frozen!['requests.received']).toBe(2);
    expect((await api.as(headA).post(`${monthPath(a)}/submit`, {})).status).toBe(409);
    expect(await prisma.auditEvent.count({ where: { action: 'report.submitted', institutionId: a.id } })).toBe(1);
  });

  test('a record changed after submission is listed as a correction; the frozen figure stays', async () => {
    await requestOn(a, '2026-02-20');
    const month = await api.as(headA).get<InstitutionReportMonth>(monthPath(a));
    expect(month.body.frozen!['requests.received']).toBe(2);
    expect(month.body.live['requests.received']).toBe(3);
    expect(month.body.corrections).toContainEqual({ key: 'requests.received', label: 'Поступило обращений', frozen: 2, live: 3 });
    expect(month.body.trend.at(-1)).toMatchObject({ requests: 2, frozen: true });
  });

  test('an ordinary head may not accept; the resource centre returns with a comment, the head submits again, it is accepted', async () => {
    const refused = await api.as(headB).post(`${monthPath(a)}/accept`, {});
    expect(refused.status).toBe(403);
    expect(refused.error.message).toMatch(/ресурсный центр/);
    expect((await api.as(headA).post(`${monthPath(a)}/accept`, {})).status).toBe(403);

    const empty = await api.as(headRc).post(`${monthPath(a)}/return`, { comment: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.error.details).toHaveProperty(['comment']);

    const returned = await api.as(headRc).post<{ status: string }>(`${monthPath(a)}/return`, { comment: 'Проверьте число обращений' });
    expect([returned.status, returned.body.status]).toEqual([200, 'returned']);
    const seen = await api.as(headA).get<InstitutionReportMonth>(monthPath(a));
    expect(seen.body).toMatchObject({ status: 'returned', returnComment: 'Проверьте число обращений', canSubmit: true, corrections: [] });
    expect(seen.body.trend.at(-1)).toMatchObject({ requests: 3, frozen: false });

    const again = await api.as(headA).post<InstitutionReportMonth>(`${monthPath(a)}/submit`, {});
    expect(again.status).toBe(200);
    expect(again.body.frozen!['requests.received']).toBe(3);
    expect((await api.as(headRc).post(`${monthPath(a)}/accept`, {})).body).toMatchObject({ status: 'accepted' });
    expect((await api.as(headA).post(`${monthPath(a)}/submit`, {})).status).toBe(409);
    expect((await api.as(headRc).post(`${monthPath(a)}/return`, { comment: 'Поздно' })).status).toBe(409);
  });
});

describe('the consolidated month', () => {
  test('every institution with its status; frozen where submitted, live otherwise; totals are sums', async () => {
    expect((await api.as(headB).get(consolidatedPath())).status).toBe(403);
    const res = await api.get<ConsolidatedMonth>(consolidatedPath());
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.institutions.map((i) => [i.name, i]));
    expect(byName['КЦСОН Азовский']).toMatchObject({ status: 'accepted', frozen: true, late: false });
    expect(byName['КЦСОН Большереченский']).toMatchObject({ status: 'not_submitted', frozen: false });
    // The screen writes each institution's times on its own clock: its zone and the decision's instant.
    expect(byName['КЦСОН Азовский']).toMatchObject({ timeZone: 'Asia/Omsk', decidedAt: expect.any(String) });
    expect(byName['КЦСОН Большереченский']).toMatchObject({ timeZone: 'Asia/Omsk', submittedAt: null, decidedAt: null });
    expect(byName['Ресурсный центр']).toMatchObject({ timeZone: 'Asia/Kamchatka' });
    expect(byName['КЦСОН Азовский']!.figures['requests.received']).toBe(3);
    expect(byName['КЦСОН Большереченский']!.figures['requests.received']).toBe(1);
    for (const row of res.body.rows.filter((r) => r.kind === 'count'))
      expect([row.key, res.body.totals[row.key]]).toEqual([
        row.key,
        res.body.institutions.reduce((s, i) => s + (i.figures[row.key] ?? 0), 0),
      ]);
    expect(res.body.totals['requests.received']).toBe(4);
    expect((await api.as(headRc).get<ConsolidatedMonth>(consolidatedPath())).body.resourceCentre).toBe(true);
  });

  test('the XLSX export holds the screen’s figures cell by cell, with SUM formulas and their values', async () => {
    const screen = (await api.get<ConsolidatedMonth>(consolidatedPath())).body;
    const file = await download(`${consolidatedPath()}/export?format=xlsx`, api.admin);
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const n = screen.institutions.length;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'Раздел',
      'Показатель',
      ...screen.institutions.map((i) => (i.frozen ? i.name : `${i.name} (не представлен)`)),
      'Всего',
    ]);
    screen.rows.forEach((row, i) => {
      const r = sheet.getRow(i + 2);
      expect([row.key, r.getCell(2).value]).toEqual([row.key, row.label]);
      screen.institutions.forEach((inst, j) =>
        expect([row.key, j, r.getCell(3 + j).value ?? null]).toEqual([row.key, j, inst.figures[row.key] ?? null]),
      );
      const total = r.getCell(n + 3).value;
      // exceljs leaves out a result of 0 (the book asks Excel to calculate on load anyway).
      if (row.kind === 'count') {
        const cell = total as { formula: string; result?: number };
        expect([row.key, cell.formula, cell.result ?? 0]).toEqual([
          row.key,
          `SUM(C${i + 2}:${sheet.getColumn(n + 2).letter}${i + 2})`,
          screen.totals[row.key],
        ]);
      } else expect(total ?? null).toEqual(screen.totals[row.key] ?? null);
    });
    expect(await prisma.auditEvent.count({ where: { action: 'report.consolidated_exported' } })).toBe(1);
  });

  test('the institution’s XLSX: section, row, figure; «Итого» with its formula only where a sum means something', async () => {
    const screen = (await api.as(headA).get<InstitutionReportMonth>(monthPath(a))).body;
    const file = await download(`${monthPath(a)}/export?format=xlsx`, headA);
    expect(file.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const lines: { label: unknown; value: unknown }[] = [];
    sheet.eachRow((row, i) => i > 1 && lines.push({ label: row.getCell(2).value, value: row.getCell(3).value }));
    const plain = lines.filter((l) => l.label !== 'Итого');
    expect(plain.map((l) => l.label)).toEqual(screen.rows.map((r) => r.label));
    screen.rows.forEach((r, i) => expect([r.key, plain[i]!.value ?? null]).toEqual([r.key, screen.frozen![r.key] ?? null]));
    const totals = lines.filter((l) => l.label === 'Итого');
    expect(totals).toHaveLength(7); // direction, kind, topic, recurrence, channel, form, refusals
    expect(totals[0]!.value).toMatchObject({ formula: 'SUM(C3:C5)' });
    const direction = ['direction.specialist_client', 'direction.specialist_specialist', 'direction.client_client'];
    expect((totals[0]!.value as { result?: number }).result ?? 0).toBe(direction.reduce((s, k) => s + (screen.frozen![k] ?? 0), 0));
    expect(lines.find((l) => l.label === 'Поступило обращений')!.value).toBe(3);
  });

  test('the CSV opens in Russian Excel: BOM, `;`, Cyrillic headers and rows', async () => {
    const file = await download(`${consolidatedPath()}/export?format=csv`, headRc);
    expect(file.status).toBe(200);
    expect(file.type).toContain('text/csv');
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file.bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]!.split(';').slice(0, 2)).toEqual(['Раздел', 'Показатель']);
    expect(lines[0]!.split(';').at(-1)).toBe('Всего');
    expect(
      lines
        .find((l) => l.includes('Поступило обращений'))!
        .split(';')
        .slice(1),
    ).toEqual(['Поступило обращений', '3', '1', '0', '4']);
  });
});

describe('the analytical note, the settings, the drill-down', () => {
  test('a draft from the figures, edited, sent; read-only after that', async () => {
    expect((await api.as(headB).get(`${consolidatedPath()}/note/draft`)).status).toBe(403);
    const draft = await api.as(headRc).get<{ text: string }>(`${consolidatedPath()}/note/draft`);
    expect(draft.status).toBe(200);
    expect(draft.body.text).toContain('Аналитическая записка');
    expect(draft.body.text).toContain('Поступило обращений: 4');
    expect((await api.as(headRc).post(`${consolidatedPath()}/note/send`, {})).status).toBe(409); // nothing saved yet
    expect((await api.as(headRc).put(`${consolidatedPath()}/note`, { text: `${draft.body.text}\nДополнение.` })).status).toBe(200);
    const sent = await api.as(headRc).post<{ sentAt: string }>(`${consolidatedPath()}/note/send`, {});
    expect([sent.status, sent.body.sentAt]).toEqual([200, NOW.toISOString()]);
    expect((await api.as(headRc).put(`${consolidatedPath()}/note`, { text: 'Другое' })).status).toBe(409);
    const seen = await api.get<ConsolidatedMonth>(consolidatedPath());
    expect(seen.body.note.text).toContain('Дополнение.');
  });

  test('settings: days 1–28 with field errors, admin only; the period follows them', async () => {
    const path = `/departments/${api.departmentId}/report-settings`;
    expect((await api.get(path)).body).toEqual({ periodStartDay: 25, institutionDueDay: 25, consolidatedDueDay: 1 });
    const bad = await api.put(path, { periodStartDay: 0, institutionDueDay: 29, consolidatedDueDay: 1.5 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.error.details as object).sort()).toEqual(['consolidatedDueDay', 'institutionDueDay', 'periodStartDay']);
    expect((await api.as(headRc).put(path, { periodStartDay: 1, institutionDueDay: 25, consolidatedDueDay: 1 })).status).toBe(403);
    expect((await api.get(path)).body).toMatchObject({ periodStartDay: 25 });
    expect((await api.put(path, { periodStartDay: 1, institutionDueDay: 5, consolidatedDueDay: 10 })).status).toBe(200);
    const month = await api.as(headB).get<InstitutionReportMonth>(monthPath(b));
    expect(month.body).toMatchObject({ period: { firstDay: '2026-02-01', lastDay: '2026-02-28' }, dueDate: '2026-02-05', overdue: true });
    await api.put(path, { periodStartDay: 25, institutionDueDay: 25, consolidatedDueDay: 1 });
  });

  test('the records behind a figure: names for the institution’s head only', async () => {
    const path = `${monthPath(a)}/records?key=requests.received`;
    const own = await api.as(headA).get<ReportRecords>(path);
    expect(own.status).toBe(200);
    expect(own.body.withNames).toBe(true);
    expect(own.body.records).toHaveLength(3);
    expect(own.body.records[0]!.names).toEqual(['Иванова Мария']);
    const centre = await api.as(headRc).get<ReportRecords>(path);
    expect(centre.body.withNames).toBe(false);
    expect(centre.body.records.map((r) => r.names)).toEqual([null, null, null]);
    expect(JSON.stringify(centre.body)).not.toContain('Иванова');
    expect((await api.as(headB).get(path)).status).toBe(404);
    expect((await api.as(headA).get(`${monthPath(a)}/records?key=nonsense`)).status).toBe(400);
  });
});
