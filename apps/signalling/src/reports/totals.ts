// Pure arithmetic of the reports: the department's totals over its institutions, the
// corrections of a frozen month, the on-time share, months. No database here (unit-tested).
import { reportFormSections, type ReportFigures, type ReportFormRow } from '@dp/protocol';
import type { ReportRow } from '@dp/protocol';

/** 'YYYY-MM' moved by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The count an average or a share is taken over (for weighting the department's totals). */
export function weightKey(row: Pick<ReportFormRow, 'section' | 'kind'>): string | null {
  if (row.kind === 'count') return null;
  return row.section === 'feedback' ? 'feedback.answers' : 'consultations.held';
}

/** Sums of the counts; averages and shares weighted by their counts (null when nothing to average). */
export function departmentTotals(rows: readonly ReportFormRow[], institutions: readonly ReportFigures[]): ReportFigures {
  const totals: ReportFigures = {};
  for (const row of rows) {
    const weight = weightKey(row);
    if (weight === null) {
      totals[row.key] = institutions.reduce((sum, f) => sum + (f[row.key] ?? 0), 0);
      continue;
    }
    let weighted = 0;
    let over = 0;
    for (const f of institutions) {
      const value = f[row.key];
      const w = f[weight] ?? 0;
      if (value === null || value === undefined || w <= 0) continue;
      weighted += value * w;
      over += w;
    }
    totals[row.key] = over > 0 ? Math.round((weighted / over) * 10) / 10 : null;
  }
  return totals;
}

/** Rows whose live figure now differs from the frozen one. */
export function corrections(
  rows: readonly ReportFormRow[],
  frozen: ReportFigures,
  live: ReportFigures,
): { key: string; label: string; frozen: number | null; live: number | null }[] {
  return rows
    .filter((r) => (frozen[r.key] ?? null) !== (live[r.key] ?? null))
    .map((r) => ({ key: r.key, label: r.label, frozen: frozen[r.key] ?? null, live: live[r.key] ?? null }));
}

/** Answered on time, % of the requests whose answer is due (answered on time, late, or overdue without one). */
export function onTimeShare(f: ReportFigures): number | null {
  const onTime = f['requests.answered_on_time'] ?? 0;
  const due = onTime + (f['requests.answered_late'] ?? 0) + (f['requests.overdue_unanswered'] ?? 0);
  return due > 0 ? Math.round((onTime / due) * 1000) / 10 : null;
}

/** The form's rows as the API answers them (with the section's Russian heading). */
export function apiRows(rows: readonly ReportFormRow[]): ReportRow[] {
  return rows.map((r) => ({
    key: r.key,
    section: r.section,
    sectionLabel: reportFormSections[r.section],
    label: r.label,
    kind: r.kind,
    ...(r.manual ? { manual: true } : {}),
  }));
}

/** Figures limited to the form's rows (a stored month may carry keys a later version dropped). */
export function onlyRows(rows: readonly ReportFormRow[], figures: ReportFigures): ReportFigures {
  return Object.fromEntries(rows.map((r) => [r.key, figures[r.key] ?? null]));
}
