// The monthly reports as files, through the one export module (export/table-export.ts): the
// institution's month (section, row, figure; «Итого» rows only under the sections whose rows
// split the consultations or the refusals, where a sum means something) and the consolidated
// month (rows × institutions and a «Всего» column: SUM formulas with their values for counts;
// a weighted average, as a value, for averages and shares — a SUM of them would be wrong).
import type ExcelJS from 'exceljs';
import type { ConsolidatedMonth, InstitutionReportMonth, ReportRow } from '@dp/protocol';
import { addSheet, toCsv, toXlsxBook, type ExportColumn, type ExportTable } from '../export/table-export.ts';

/** Sections whose rows add up to something meaningful (each consultation or refusal counted once). */
const SUMMED_SECTIONS = new Set(['direction', 'kind', 'topic', 'recurrence', 'channel', 'form', 'refusals']);

interface FormLine {
  section: string;
  label: string;
  value: number | null;
  kind: ReportRow['kind'];
  /** The sheet rows (1-based) this «Итого» sums, or undefined for an ordinary row. */
  sums?: [number, number];
}

/** The month's form as lines; the figures are the frozen ones once submitted, else live. */
export function institutionLines(report: InstitutionReportMonth): FormLine[] {
  const figures = report.frozen && (report.status === 'submitted' || report.status === 'accepted') ? report.frozen : report.live;
  const lines: FormLine[] = [];
  let i = 0;
  while (i < report.rows.length) {
    const section = report.rows[i]!.section;
    const first = lines.length + 2; // sheet row of the section's first line (row 1: headers)
    // Rows the department added (entered by hand) follow the «Итого», which sums the computed rows only.
    const manual: FormLine[] = [];
    while (i < report.rows.length && report.rows[i]!.section === section) {
      const r = report.rows[i]!;
      (r.manual ? manual : lines).push({ section: r.sectionLabel, label: r.label, value: figures[r.key] ?? null, kind: r.kind });
      i++;
    }
    const inSection = lines.slice(first - 2);
    if (SUMMED_SECTIONS.has(section) && inSection.length > 1) {
      lines.push({
        section: inSection[0]!.section,
        label: 'Итого',
        value: inSection.reduce((s, l) => s + (l.value ?? 0), 0),
        kind: 'count',
        sums: [first, lines.length + 1],
      });
    }
    lines.push(...manual);
  }
  return lines;
}

const formColumns: ExportColumn<FormLine>[] = [
  { header: 'Раздел', type: 'text', width: 34, value: (l) => l.section },
  { header: 'Показатель', type: 'text', width: 48, value: (l) => l.label },
  { header: 'Значение', type: 'decimal', width: 14, value: (l) => l.value },
];

const numFmt = (kind: ReportRow['kind']) => (kind === 'count' ? '0' : '0.0');

export async function institutionXlsx(report: InstitutionReportMonth): Promise<Buffer> {
  const lines = institutionLines(report);
  return toXlsxBook((book) => {
    // exceljs does not evaluate formulas (and drops a result of 0): Excel recalculates on opening.
    book.calcProperties.fullCalcOnLoad = true;
    const sheet = addSheet(book, { sheet: `Отчёт ${report.month}`, columns: formColumns, rows: lines });
    lines.forEach((l, i) => {
      const cell = sheet.getCell(i + 2, 3);
      cell.numFmt = numFmt(l.kind);
      if (l.sums) {
        cell.value = { formula: `SUM(C${l.sums[0]}:C${l.sums[1]})`, result: l.value ?? 0 };
        sheet.getRow(i + 2).font = { bold: true };
      }
    });
  });
}

export function institutionCsv(report: InstitutionReportMonth): Promise<Buffer> {
  return toCsv({ sheet: 'Отчёт', columns: formColumns, rows: institutionLines(report) });
}

interface ConsolidatedLine {
  row: ReportRow;
  values: (number | null)[];
  total: number | null;
}

function consolidatedTable(month: ConsolidatedMonth): ExportTable<ConsolidatedLine> {
  const columns: ExportColumn<ConsolidatedLine>[] = [
    { header: 'Раздел', type: 'text', width: 28, value: (l) => l.row.sectionLabel },
    { header: 'Показатель', type: 'text', width: 44, value: (l) => l.row.label },
    ...month.institutions.map((inst, i): ExportColumn<ConsolidatedLine> => ({
      header: inst.frozen ? inst.name : `${inst.name} (не представлен)`,
      type: 'decimal',
      width: 16,
      value: (l) => l.values[i],
    })),
    { header: 'Всего', type: 'decimal', width: 14, value: (l) => l.total },
  ];
  return {
    sheet: `Свод ${month.month}`,
    columns,
    rows: month.rows.map((row) => ({
      row,
      values: month.institutions.map((i) => i.figures[row.key] ?? null),
      total: month.totals[row.key] ?? null,
    })),
  };
}

const STATUS: Record<string, string> = {
  not_submitted: 'не представлен',
  submitted: 'представлен',
  accepted: 'принят',
  returned: 'возвращён на доработку',
};

export async function consolidatedXlsx(month: ConsolidatedMonth): Promise<Buffer> {
  const table = consolidatedTable(month);
  const n = month.institutions.length;
  return toXlsxBook((book: ExcelJS.Workbook) => {
    book.calcProperties.fullCalcOnLoad = true;
    const sheet = addSheet(book, table);
    table.rows.forEach((l, i) => {
      const r = i + 2;
      for (let c = 3; c <= n + 3; c++) sheet.getCell(r, c).numFmt = numFmt(l.row.kind);
      if (l.row.kind === 'count' && n > 0) {
        const last = sheet.getColumn(n + 2).letter;
        sheet.getCell(r, n + 3).value = { formula: `SUM(C${r}:${last}${r})`, result: l.total ?? 0 };
      }
    });
    addSheet(book, {
      sheet: 'Статусы',
      columns: [
        { header: 'Учреждение', type: 'text', width: 40, value: (i) => i.name },
        { header: 'Отчёт', type: 'text', width: 24, value: (i) => STATUS[i.status] ?? i.status },
        { header: 'Представлен (UTC)', type: 'datetime', width: 18, value: (i) => (i.submittedAt ? new Date(i.submittedAt) : null) },
        { header: 'С нарушением срока', type: 'text', width: 18, value: (i) => (i.late ? 'да' : 'нет') },
      ],
      rows: month.institutions,
      timeZone: 'UTC',
    });
  });
}

export function consolidatedCsv(month: ConsolidatedMonth): Promise<Buffer> {
  return toCsv(consolidatedTable(month));
}
