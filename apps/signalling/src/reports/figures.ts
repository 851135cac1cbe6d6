// The monthly report's figures, computed from the records: the period of a month in the
// institution's time zone, every row of the form (packages/protocol/src/report-form.ts) for one
// institution or for all of a department at once, and the records behind a figure. The
// definitions of the figures and their SQL are in figures-sql.ts.
import { DateTime } from 'luxon';
import type { PrismaClient, TransactionClient } from '@dp/db';
import { CURRENT_REPORT_FORM_VERSION, reportForms, type ReportFigures } from '@dp/protocol';
import { FIGURES_SQL, drillDownSql } from './figures-sql.ts';

export type Db = PrismaClient | TransactionClient;

/** The reporting period of `month` ('YYYY-MM') for one institution, in its time zone. */
export interface ReportPeriod {
  month: string;
  /** Inclusive start, UTC instant of local midnight. */
  from: Date;
  /** Exclusive end, UTC instant of local midnight. */
  to: Date;
  timeZone: string;
}

/** The records behind one figure (drill-down), for those allowed to see them. */
export interface FigureRecords {
  consultationIds: string[];
  requestIds: string[];
}

/** Options of the computations: `now` decides which unanswered requests are overdue (default: the clock). */
export interface FiguresOptions {
  now?: Date;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month string the report cannot use (the API validates it first; this guards the rest). */
export class ReportMonthError extends Error {
  constructor(month: string) {
    super(`not a month 'YYYY-MM': ${JSON.stringify(month)}`);
  }
}

/** A figure key the drill-down does not know. */
export class UnknownFigureError extends Error {
  readonly key: string;
  constructor(key: string) {
    super(`no such figure: ${JSON.stringify(key)}`);
    this.key = key;
  }
}

/**
 * The period of `month` when it starts on `startDay` (1..28), in `timeZone`:
 *  - startDay 1: the calendar month, local midnight of the 1st to local midnight of the next 1st;
 *  - startDay d > 1: from the d-th of the month before to the d-th of the month (exclusive), i.e.
 *    the default 25 gives month M = the 25th of M−1 00:00 … the 24th of M 24:00, so that a month
 *    submitted on its 25th is complete and every day belongs to exactly one month.
 * Local midnights become UTC instants (a zone's DST shift moves the instant, never the day).
 */
export function periodOf(month: string, startDay: number, timeZone: string): ReportPeriod {
  const m = MONTH.exec(month);
  if (!m) throw new ReportMonthError(month);
  if (!Number.isInteger(startDay) || startDay < 1 || startDay > 28)
    throw new RangeError(`report period start day ${startDay} is not 1..28`);
  const first = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone: timeZone });
  if (!first.isValid) throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
  const start = startDay === 1 ? first : first.minus({ months: 1 }).set({ day: startDay });
  const end = start.plus({ months: 1 });
  return { month, from: start.toJSDate(), to: end.toJSDate(), timeZone };
}

interface InstitutionPeriodFacts {
  id: string;
  timeZone: string;
  department: { reportPeriodStartDay: number };
}

const periodFacts = { id: true, timeZone: true, department: { select: { reportPeriodStartDay: true } } } as const;

const periodOfInstitution = (i: InstitutionPeriodFacts, month: string) => periodOf(month, i.department.reportPeriodStartDay, i.timeZone);

export async function reportPeriod(db: Db, institutionId: string, month: string): Promise<ReportPeriod> {
  const institution = await db.institution.findUniqueOrThrow({ where: { id: institutionId }, select: periodFacts });
  return periodOfInstitution(institution, month);
}

/** The form's keys of a version, each null until computed. */
function emptyFigures(version = CURRENT_REPORT_FORM_VERSION): ReportFigures {
  const form = reportForms[version];
  if (!form) throw new RangeError(`no report form version ${version}`);
  return Object.fromEntries(form.map((row) => [row.key, null]));
}

const COUNT_DEFAULTS_ZERO = (key: string) => !['quality.average_minutes', 'quality.poor_share'].includes(key) && !isFeedbackAverage(key);
const isFeedbackAverage = (key: string) => key.startsWith('feedback.') && key !== 'feedback.answers';

type Parts = Record<string, number | null> | null;

/**
 * Runs a figures statement with PostgreSQL's JIT off for it: the statement's dozens of
 * FILTER aggregates cross jit_above_cost on a real month, and compiling them took 10–13 s
 * where the statement itself runs in under one (bench/report-month.ts, docs/benchmarks.md).
 * SET LOCAL lasts to the end of the transaction: our own, or the caller's when `db` is one.
 */
async function figuresQuery<T>(db: Db, sql: string, params: unknown[]): Promise<T[]> {
  if ('$transaction' in db) {
    return db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('SET LOCAL jit = off');
        return tx.$queryRawUnsafe<T[]>(sql, ...params);
      },
      { maxWait: 10_000, timeout: 60_000 },
    );
  }
  await db.$executeRawUnsafe('SET LOCAL jit = off');
  return db.$queryRawUnsafe<T[]>(sql, ...params);
}

/** The figures of the given institution periods, one statement for all of them. */
export async function figuresOfPeriods(
  db: Db,
  periods: ReadonlyArray<{ institutionId: string; from: Date; to: Date }>,
  opts: FiguresOptions = {},
): Promise<Map<string, ReportFigures>> {
  const out = new Map<string, ReportFigures>();
  if (periods.length === 0) return out;
  const rows = await figuresQuery<{ institution_id: string; cx: Parts; fb: Parts; rq: Parts }>(db, FIGURES_SQL, [
    periods.map((p) => p.institutionId),
    periods.map((p) => p.from.toISOString()),
    periods.map((p) => p.to.toISOString()),
    (opts.now ?? new Date()).toISOString(),
  ]);
  for (const row of rows) {
    const computed: Record<string, number | null> = { ...row.cx, ...row.fb, ...row.rq };
    const figures = emptyFigures();
    for (const key of Object.keys(figures)) {
      const value = computed[key];
      figures[key] = value ?? (COUNT_DEFAULTS_ZERO(key) ? 0 : null);
    }
    out.set(row.institution_id, figures);
  }
  return out;
}

export async function institutionMonthFigures(
  db: Db,
  institutionId: string,
  month: string,
  opts: FiguresOptions = {},
): Promise<ReportFigures> {
  const period = await reportPeriod(db, institutionId, month);
  const figures = await figuresOfPeriods(db, [{ institutionId, from: period.from, to: period.to }], opts);
  return figures.get(institutionId)!;
}

/** Every institution of the department at once (the consolidated form), by institution id. */
export async function departmentMonthFigures(
  db: Db,
  departmentId: string,
  month: string,
  opts: FiguresOptions = {},
): Promise<Map<string, ReportFigures>> {
  const institutions = await db.institution.findMany({ where: { departmentId }, select: periodFacts, orderBy: { name: 'asc' } });
  const periods = institutions.map((i) => ({ institutionId: i.id, ...periodOfInstitution(i, month) }));
  const figures = await figuresOfPeriods(db, periods, opts);
  // In the institutions' order (by name), as the consolidated form lists them.
  return new Map(institutions.map((i) => [i.id, figures.get(i.id)!]));
}

export async function figureRecords(
  db: Db,
  institutionId: string,
  month: string,
  key: string,
  opts: FiguresOptions = {},
): Promise<FigureRecords> {
  const statement = drillDownSql(key);
  if (!statement) throw new UnknownFigureError(key);
  const period = await reportPeriod(db, institutionId, month);
  const params: unknown[] = [[institutionId], [period.from.toISOString()], [period.to.toISOString()]];
  if (statement.sql.includes('$4')) params.push((opts.now ?? new Date()).toISOString());
  const rows = await figuresQuery<{ id: string }>(db, statement.sql, params);
  const ids = rows.map((r) => r.id);
  return statement.of === 'consultations' ? { consultationIds: ids, requestIds: [] } : { consultationIds: [], requestIds: ids };
}
