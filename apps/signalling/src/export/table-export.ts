// Every journal and report leaves the product as the same kind of table: Russian headers in the
// form's column order, real cell types (numbers as numbers, dates as dates), a frozen header
// row, column widths, and — where the form has totals — a formula with its computed value
// (exceljs writes formulas but does not evaluate them, so the value is given too). XLSX for
// Excel and LibreOffice; CSV for Russian Excel: `;` between fields, UTF-8 with a BOM.
import ExcelJS from 'exceljs';

export type ColumnType = 'text' | 'integer' | 'decimal' | 'date' | 'datetime';

export interface ExportColumn<Row> {
  header: string;
  type: ColumnType;
  /** Width in characters (Excel's unit). */
  width: number;
  value: (row: Row) => string | number | Date | null | undefined;
  /** A total under this column: the SUM formula and its computed value. */
  total?: boolean;
}

export interface ExportTable<Row> {
  /** The sheet's name (≤ 31 characters, Excel's limit). */
  sheet: string;
  columns: readonly ExportColumn<Row>[];
  rows: readonly Row[];
  /** A time zone for datetime cells: Excel has none, so local wall time is written. */
  timeZone?: string;
}

const numFmt: Record<ColumnType, string | undefined> = {
  text: undefined,
  integer: '0',
  decimal: '0.0',
  date: 'dd.mm.yyyy',
  datetime: 'dd.mm.yyyy hh:mm',
};

/** A UTC instant as the same wall-clock time in `timeZone`, for a cell that has no zone. */
function wallClock(at: Date, timeZone: string | undefined): Date {
  if (!timeZone) return at;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return new Date(Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!));
}

function cellValue<Row>(column: ExportColumn<Row>, row: Row, timeZone: string | undefined): ExcelJS.CellValue {
  const v = column.value(row);
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return column.type === 'datetime' ? wallClock(v, timeZone) : v;
  return v;
}

function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Adds the table as a sheet of `workbook` (a report may hold several). */
export function addSheet<Row>(workbook: ExcelJS.Workbook, table: ExportTable<Row>): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(table.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({ header: c.header, width: c.width, style: { numFmt: numFmt[c.type] ?? '' } }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).alignment = { wrapText: true, vertical: 'top' };
  for (const row of table.rows) sheet.addRow(table.columns.map((c) => cellValue(c, row, table.timeZone)));
  if (table.columns.some((c) => c.total)) {
    const last = table.rows.length + 1;
    const totals = sheet.addRow(
      table.columns.map((c, i) => {
        if (i === 0 && !c.total) return 'Итого';
        if (!c.total) return null;
        const result = table.rows.reduce((sum, r) => sum + (Number(c.value(r)) || 0), 0);
        const letter = columnLetter(i);
        return { formula: `SUM(${letter}2:${letter}${last})`, result };
      }),
    );
    totals.font = { bold: true };
  }
  return sheet;
}

/** One table as an .xlsx file. */
export async function toXlsx<Row>(table: ExportTable<Row>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Дистанционная приёмная';
  addSheet(workbook, table);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Several tables (sheets) as one .xlsx file. */
export async function toXlsxBook(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Дистанционная приёмная';
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** One table as CSV for Russian Excel: `;`, UTF-8 with a BOM, dates as дд.мм.гггг. */
export async function toCsv<Row>(table: ExportTable<Row>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(table.sheet.slice(0, 31));
  sheet.addRow(table.columns.map((c) => c.header));
  for (const row of table.rows) {
    sheet.addRow(
      table.columns.map((c) => {
        const v = cellValue(c, row, table.timeZone);
        // Russian Excel reads «1,5» as a number and «1.5» as text.
        return typeof v === 'number' && !Number.isInteger(v) ? String(v).replace('.', ',') : v;
      }),
    );
  }
  const body = await workbook.csv.writeBuffer({
    dateFormat: table.columns.some((c) => c.type === 'datetime') ? 'DD.MM.YYYY HH:mm' : 'DD.MM.YYYY',
    dateUTC: true,
    formatterOptions: { delimiter: ';', writeBOM: true, rowDelimiter: '\r\n' },
  });
  return Buffer.from(body);
}

/** Sends an export as a download with a Russian file name (RFC 6266 `filename*`). */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';
