// The report screens' data: an institution's month (live figures, the frozen ones once
// submitted, the corrections, the 12-month trend) and the department's consolidated month.
// The figures themselves come from figures.ts; this file only puts them together.
import { DateTime } from 'luxon';
import type { MonthlyReport } from '@dp/db';
import {
  CURRENT_REPORT_FORM_VERSION,
  reportForms,
  type ConsolidatedMonth,
  type InstitutionReportMonth,
  type ReportFigures,
  type ReportFormRow,
  type ReportStatus,
} from '@dp/protocol';
import { departmentMonthFigures, institutionMonthFigures, reportPeriod, type Db } from './figures.ts';
import { formOfVersion, latestForm, monthInputs, unionRows, withInputs } from './form-versions.ts';
import { addMonths, apiRows, corrections, departmentTotals, onlyRows, onTimeShare } from './totals.ts';

export interface ReportDays {
  reportPeriodStartDay: number;
  reportInstitutionDueDay: number;
  reportConsolidatedDueDay: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The day month M is due from the institutions ('YYYY-MM-DD'). */
export const institutionDueDate = (month: string, days: ReportDays) => `${month}-${pad(days.reportInstitutionDueDay)}`;
/** The day the consolidated month M is due (in M+1). */
export const consolidatedDueDate = (month: string, days: ReportDays) => `${addMonths(month, 1)}-${pad(days.reportConsolidatedDueDay)}`;
/** The local day of an instant in a zone. */
export const localDay = (at: Date, timeZone: string) => DateTime.fromJSDate(at, { zone: timeZone }).toISODate()!;

export function formRows(version: number): readonly ReportFormRow[] {
  return reportForms[version] ?? reportForms[CURRENT_REPORT_FORM_VERSION]!;
}

/** Frozen figures count while the month stands submitted or accepted; a returned one is live again. */
const standsFrozen = (status: string) => status === 'submitted' || status === 'accepted';

interface InstitutionRef {
  id: string;
  name: string;
  timeZone: string;
  departmentId: string;
}

export async function institutionMonth(
  db: Db,
  institution: InstitutionRef,
  month: string,
  now: Date,
  opts: { maySubmit: boolean },
): Promise<InstitutionReportMonth> {
  const department = await db.department.findUniqueOrThrow({ where: { id: institution.departmentId } });
  const report = await db.monthlyReport.findUnique({
    where: { institutionId_month: { institutionId: institution.id, month } },
    include: { submittedBy: { select: { displayName: true } }, decidedBy: { select: { displayName: true } } },
  });
  const status: ReportStatus = report?.status ?? 'not_submitted';
  // A month standing submitted keeps its version of the form; a live one uses the department's latest.
  const form =
    report && standsFrozen(status) ? await formOfVersion(db, department.id, report.formVersion) : await latestForm(db, department.id);
  const version = form.version;
  const rows = form.rows;
  // One after another: `db` may be a transaction, whose one connection runs one query at a time.
  const period = await reportPeriod(db, institution.id, month);
  const computed = await institutionMonthFigures(db, institution.id, month);
  const inputs = await monthInputs(db, institution.id, month);
  const live = withInputs(rows, computed, inputs);
  const frozen = report ? onlyRows(rows, report.figures as ReportFigures) : null;
  const due = institutionDueDate(month, department);
  const today = localDay(now, institution.timeZone);
  return {
    institutionId: institution.id,
    institutionName: institution.name,
    month,
    formVersion: version,
    rows: apiRows(rows),
    period: {
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      firstDay: localDay(period.from, period.timeZone),
      lastDay: localDay(new Date(period.to.getTime() - 1), period.timeZone),
      timeZone: period.timeZone,
    },
    dueDate: due,
    status,
    overdue: !standsFrozen(status) && today > due,
    live: onlyRows(rows, live),
    frozen,
    submittedAt: report?.submittedAt.toISOString() ?? null,
    submittedBy: report?.submittedBy.displayName ?? null,
    decidedAt: report?.decidedAt?.toISOString() ?? null,
    decidedBy: report?.decidedBy?.displayName ?? null,
    returnComment: report?.status === 'returned' ? report.returnComment : null,
    corrections: frozen && standsFrozen(status) ? corrections(rows, frozen, live) : [],
    trend: await trend(db, institution.id, month, now),
    canSubmit: opts.maySubmit && !standsFrozen(status),
  };
}

/** The previous 12 months and this one: frozen where the month stands submitted, else live. */
async function trend(db: Db, institutionId: string, month: string, now: Date): Promise<InstitutionReportMonth['trend']> {
  const months = Array.from({ length: 13 }, (_, i) => addMonths(month, i - 12));
  const reports = await db.monthlyReport.findMany({ where: { institutionId, month: { in: months } } });
  const byMonth = new Map(reports.filter((r) => standsFrozen(r.status)).map((r) => [r.month, r.figures as ReportFigures]));
  return Promise.all(
    months.map(async (m) => {
      const frozen = byMonth.get(m);
      const f = frozen ?? (await institutionMonthFigures(db, institutionId, m, { now }));
      return {
        month: m,
        held: f['consultations.held'] ?? null,
        requests: f['requests.received'] ?? null,
        onTimeShare: onTimeShare(f),
        frozen: frozen !== undefined,
      };
    }),
  );
}

/** Every institution's figures for the month: frozen where submitted, else live (one query for the live ones). */
export async function departmentFigures(
  db: Db,
  departmentId: string,
  month: string,
  now: Date,
): Promise<{
  institutions: { id: string; name: string; resourceCentre: boolean; timeZone: string }[];
  reports: Map<string, MonthlyReport>;
  figures: Map<string, { figures: ReportFigures; frozen: boolean }>;
  /** The department's latest form, with the added rows of older versions its submitted months kept. */
  rows: ReportFormRow[];
  formVersion: number;
}> {
  const institutions = await db.institution.findMany({
    where: { departmentId },
    select: { id: true, name: true, resourceCentre: true, timeZone: true },
    orderBy: { name: 'asc' },
  });
  const reports = new Map(
    (await db.monthlyReport.findMany({ where: { month, institution: { departmentId } } })).map((r) => [r.institutionId, r]),
  );
  const live = await departmentMonthFigures(db, departmentId, month, { now });
  const form = await latestForm(db, departmentId);
  const older = [...new Set([...reports.values()].filter((r) => standsFrozen(r.status)).map((r) => r.formVersion))].filter(
    (v) => v !== form.version,
  );
  const olderRows: ReportFormRow[][] = [];
  for (const v of older) olderRows.push((await formOfVersion(db, departmentId, v)).rows);
  const rows = unionRows(form.rows, ...olderRows);
  const inputs = new Map(
    (await db.monthlyReportInput.findMany({ where: { month, institution: { departmentId } } })).map((r) => [
      r.institutionId,
      r.values as ReportFigures,
    ]),
  );
  const figures = new Map(
    institutions.map((i) => {
      const r = reports.get(i.id);
      const frozen = r !== undefined && standsFrozen(r.status);
      // A live month has the latest form's rows only (an entry of a row removed since is not its figure).
      const current = frozen ? (r.figures as ReportFigures) : withInputs(form.rows, live.get(i.id) ?? {}, inputs.get(i.id) ?? {});
      return [i.id, { figures: onlyRows(rows, current), frozen }];
    }),
  );
  return { institutions, reports, figures, rows, formVersion: form.version };
}

export async function consolidatedMonth(
  db: Db,
  departmentId: string,
  month: string,
  now: Date,
  resourceCentre: boolean,
): Promise<ConsolidatedMonth> {
  const department = await db.department.findUniqueOrThrow({ where: { id: departmentId } });
  const { institutions, reports, figures, rows, formVersion } = await departmentFigures(db, departmentId, month, now);
  const note = await db.consolidatedReport.findUnique({
    where: { departmentId_month: { departmentId, month } },
    include: { sentBy: { select: { displayName: true } } },
  });
  const due = institutionDueDate(month, department);
  const list = institutions.map((i) => {
    const r = reports.get(i.id);
    const f = figures.get(i.id)!;
    const late = r ? localDay(r.submittedAt, i.timeZone) > due : localDay(now, i.timeZone) > due;
    return {
      institutionId: i.id,
      name: i.name,
      resourceCentre: i.resourceCentre,
      status: (r?.status ?? 'not_submitted') as ReportStatus,
      frozen: f.frozen,
      submittedAt: r?.submittedAt.toISOString() ?? null,
      decidedAt: r?.decidedAt?.toISOString() ?? null,
      timeZone: i.timeZone,
      late,
      returnComment: r?.status === 'returned' ? r.returnComment : null,
      figures: f.figures,
    };
  });
  return {
    departmentId,
    month,
    formVersion,
    rows: apiRows(rows),
    institutionDueDate: due,
    consolidatedDueDate: consolidatedDueDate(month, department),
    institutions: list,
    totals: departmentTotals(
      rows,
      list.map((i) => i.figures),
    ),
    note: { text: note?.note ?? null, sentAt: note?.sentAt?.toISOString() ?? null, sentBy: note?.sentBy?.displayName ?? null },
    resourceCentre,
  };
}
