import type { InstitutionReportMonth, ReportRow } from '@dp/protocol';

// The head's hand-entered figures: which rows, the body the server takes, its field errors on
// the fields. The form's fields are by index ('figures.0'): the rows' keys contain dots.

/** The rows of the month's form the head enters by hand (the department added them). */
export const manualRows = (report: Pick<InstitutionReportMonth, 'rows'>): ReportRow[] => report.rows.filter((r) => r.manual === true);

/** May the head still change them: the month is not submitted or accepted. */
export const manualEditable = (report: Pick<InstitutionReportMonth, 'status' | 'canSubmit'>): boolean =>
  report.canSubmit && report.status !== 'submitted' && report.status !== 'accepted';

/** An empty field clears the figure (null); a number is sent as it is (the server checks it). */
export function inputsBody(rows: readonly ReportRow[], figures: readonly (number | string)[]): { values: Record<string, number | null> } {
  return {
    values: Object.fromEntries(
      rows.map((r, i) => {
        const v = figures[i];
        return [r.key, typeof v === 'number' ? v : v === undefined || v.trim() === '' ? null : Number(v.replace(/\s/g, ''))];
      }),
    ),
  };
}

/** The server's field errors ('values.<key>') on the form's fields ('figures.<i>'). */
export function inputErrors(rows: readonly ReportRow[], details: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  rows.forEach((r, i) => {
    const message = details[`values.${r.key}`];
    if (message) out[`figures.${i}`] = message;
  });
  return out;
}
