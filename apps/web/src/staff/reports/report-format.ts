import type { ReportRow, ReportStatus } from '@dp/protocol';

// Small helpers of the report screens: months, figures, sections.

/** 'YYYY-MM' of a date in the browser's zone. */
export function monthOf(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** The month picker's value ('YYYY-MM-DD', Mantine dates) ↔ the report month. */
export const pickerValue = (month: string) => `${month}-01`;
export const fromPicker = (value: string | null) => (value ? value.slice(0, 7) : null);

/** A figure as text: counts whole, averages and shares with one decimal; null as a dash. */
export function figureText(value: number | null | undefined, kind: ReportRow['kind'], lang: string): string {
  if (value === null || value === undefined) return '—';
  const text = new Intl.NumberFormat(lang, { maximumFractionDigits: kind === 'count' ? 0 : 1 }).format(value);
  return kind === 'percent' ? `${text} %` : text;
}

/** A local day 'YYYY-MM-DD' as «25 марта 2026». */
export function dayText(day: string, lang: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** A report month as «март 2026». */
export function monthText(month: string, lang: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 15)));
}

/** The form's rows grouped by section, in the form's order. */
export function sectionsOf(rows: readonly ReportRow[]): { section: string; label: string; rows: ReportRow[] }[] {
  const out: { section: string; label: string; rows: ReportRow[] }[] = [];
  for (const row of rows) {
    const last = out.at(-1);
    if (last && last.section === row.section) last.rows.push(row);
    else out.push({ section: row.section, label: row.sectionLabel, rows: [row] });
  }
  return out;
}

export const STATUS_COLOR: Record<ReportStatus, string> = {
  not_submitted: 'gray',
  submitted: 'blue',
  accepted: 'green',
  returned: 'orange',
};

/** Rows with a list of records behind them (counts; averages and shares have none, nor the rows entered by hand). */
export const drillable = (row: ReportRow) => row.kind === 'count' && !row.manual;
