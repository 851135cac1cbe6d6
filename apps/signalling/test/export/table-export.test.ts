import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { toCsv, toXlsx, type ExportTable } from '../../src/export/table-export.ts';

interface Row {
  n: number;
  name: string;
  at: Date;
  minutes: number;
}

const table: ExportTable<Row> = {
  sheet: 'Журнал',
  timeZone: 'Asia/Kamchatka',
  columns: [
    { header: '№', type: 'integer', width: 6, value: (r) => r.n },
    { header: 'Ф. И. О.', type: 'text', width: 30, value: (r) => r.name },
    { header: 'Дата и время', type: 'datetime', width: 18, value: (r) => r.at },
    { header: 'Длительность, мин', type: 'decimal', width: 12, value: (r) => r.minutes, total: true },
  ],
  rows: [
    { n: 1, name: 'Ёлкина Анна; «кавычки»', at: new Date('2026-11-30T11:30:00Z'), minutes: 45 },
    { n: 2, name: 'Иванов Пётр', at: new Date('2026-12-01T02:00:00Z'), minutes: 12.5 },
  ],
};

describe('table export', () => {
  it('writes an XLSX with typed cells, local wall time, a frozen header and a SUM total with its value', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await toXlsx(table)) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Журнал')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '№', 'Ф. И. О.', 'Дата и время', 'Длительность, мин']);
    expect(sheet.getCell('A2').value).toBe(1);
    expect(sheet.getCell('B2').value).toBe('Ёлкина Анна; «кавычки»');
    // 11:30 UTC is 23:30 on the 30th in Kamchatka (UTC+12): written as that wall time.
    expect((sheet.getCell('C2').value as Date).toISOString()).toBe('2026-11-30T23:30:00.000Z');
    expect(sheet.getCell('C2').numFmt).toBe('dd.mm.yyyy hh:mm');
    expect(sheet.getCell('A4').value).toBe('Итого');
    expect(sheet.getCell('D4').value).toEqual({ formula: 'SUM(D2:D3)', result: 57.5 });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(2).width).toBe(30);
  });

  it('writes a CSV for Russian Excel: BOM, `;`, quoted fields, decimal comma, Cyrillic intact', async () => {
    const csv = await toCsv(table);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('№;Ф. И. О.;Дата и время;Длительность, мин');
    expect(lines[1]).toBe('1;"Ёлкина Анна; «кавычки»";30.11.2026 23:30;45');
    expect(lines[2]).toBe('2;Иванов Пётр;01.12.2026 14:00;12,5');
  });
});
