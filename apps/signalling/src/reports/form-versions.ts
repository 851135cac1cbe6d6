// A department's own versions of the monthly report form (report_form_versions): version 1 is
// the built-in form (packages/protocol/src/report-form.ts); version N ≥ 2 is it plus the rows
// the department added in N, each entered by hand by the head of an institution
// (monthly_report_inputs) and copied into the month's figures when it is submitted. A live
// month uses the department's latest version; a submitted one keeps the version it was
// computed with, so old months keep their rows.
import { randomBytes } from 'node:crypto';
import {
  reportFormSections,
  reportFormV1,
  type ReportFigures,
  type ReportFormRow,
  type ReportFormSaveBody,
  type ReportFormSection,
} from '@dp/protocol';
import { HttpError, badRequest, isUniqueViolation } from '../api/errors.ts';
import type { Db } from './figures.ts';

/** An added row as stored in report_form_versions.rows. */
export interface StoredRow {
  key: string;
  section: ReportFormSection;
  label: string;
}

export interface DepartmentForm {
  /** 1: the built-in form only. */
  version: number;
  /** Every row in the form's order: the built-in ones and the added ones (manual). */
  rows: ReportFormRow[];
  added: StoredRow[];
  createdAt: Date | null;
  createdById: string | null;
}

const SECTION_ORDER = new Map(Object.keys(reportFormSections).map((s, i) => [s, i]));

/** Rows ordered by section (stable: within a section, the built-in rows first, then the added ones in their order). */
function bySection(rows: readonly ReportFormRow[]): ReportFormRow[] {
  return [...rows].sort((a, b) => (SECTION_ORDER.get(a.section) ?? 99) - (SECTION_ORDER.get(b.section) ?? 99));
}

/** The built-in rows with the added ones, in the form's order. */
export function composeForm(added: readonly StoredRow[]): ReportFormRow[] {
  return bySection([...reportFormV1, ...added.map((r) => ({ ...r, kind: 'count' as const, manual: true }))]);
}

/** Rows of several versions of the form at once (a consolidated month whose institutions submitted different versions). */
export function unionRows(...forms: ReadonlyArray<readonly ReportFormRow[]>): ReportFormRow[] {
  const seen = new Set<string>();
  const out: ReportFormRow[] = [];
  for (const row of forms.flat()) {
    if (seen.has(row.key)) continue;
    seen.add(row.key);
    out.push(row);
  }
  return bySection(out);
}

function storedRows(json: unknown): StoredRow[] {
  if (!Array.isArray(json)) return [];
  return json.filter(
    (r): r is StoredRow =>
      typeof r === 'object' &&
      r !== null &&
      typeof (r as StoredRow).key === 'string' &&
      typeof (r as StoredRow).label === 'string' &&
      SECTION_ORDER.has((r as StoredRow).section),
  );
}

const BUILT_IN: DepartmentForm = { version: 1, rows: composeForm([]), added: [], createdAt: null, createdById: null };

type VersionRow = { version: number; rows: unknown; createdAt: Date; createdById: string };
const toForm = (v: VersionRow): DepartmentForm => {
  const added = storedRows(v.rows);
  return { version: v.version, rows: composeForm(added), added, createdAt: v.createdAt, createdById: v.createdById };
};

/** The department's form in force now (the built-in one until it saves a version). */
export async function latestForm(db: Db, departmentId: string): Promise<DepartmentForm> {
  const v = await db.reportFormVersion.findFirst({ where: { departmentId }, orderBy: { version: 'desc' } });
  return v ? toForm(v) : BUILT_IN;
}

/** Version `version` of the department's form (a submitted month's). */
export async function formOfVersion(db: Db, departmentId: string, version: number): Promise<DepartmentForm> {
  if (version <= 1) return BUILT_IN;
  const v = await db.reportFormVersion.findUnique({ where: { departmentId_version: { departmentId, version } } });
  if (!v) throw new Error(`report form version ${version} of department ${departmentId} is missing`);
  return toForm(v);
}

/**
 * Serialises the writers of one institution's month (the head's entries and the submission):
 * an entry saved while the month is being submitted waits, then finds it submitted (409)
 * instead of changing figures the submission did not copy. Held until the transaction ends.
 */
export async function lockMonth(tx: Db, institutionId: string, month: string): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`monthly-report:${institutionId}:${month}`}))::text AS locked`;
}

/** The hand-entered figures of an institution's month, by row key. */
export async function monthInputs(db: Db, institutionId: string, month: string): Promise<ReportFigures> {
  const row = await db.monthlyReportInput.findUnique({ where: { institutionId_month: { institutionId, month } } });
  return (row?.values as ReportFigures | undefined) ?? {};
}

/** The computed figures with the added rows' hand-entered ones (null where not entered yet). */
export function withInputs(rows: readonly ReportFormRow[], computed: ReportFigures, inputs: ReportFigures): ReportFigures {
  const out: ReportFigures = { ...computed };
  for (const r of rows) if (r.manual) out[r.key] = inputs[r.key] ?? null;
  return out;
}

/** The added rows of the form that have no figure yet (submission is refused until they do). */
export function emptyManualRows(rows: readonly ReportFormRow[], inputs: ReportFigures): ReportFormRow[] {
  return rows.filter((r) => r.manual && (inputs[r.key] === null || inputs[r.key] === undefined));
}

/** A key no version of the department used: 'custom.' and 8 letters or digits. */
function newKey(used: ReadonlySet<string>): string {
  for (;;) {
    const key = `custom.${randomBytes(6)
      .toString('base64url')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '0')
      .slice(0, 8)}`;
    if (!used.has(key)) return key;
  }
}

const norm = (label: string) => label.trim().replace(/\s+/g, ' ').toLocaleLowerCase('ru');

/**
 * Saves the added rows as the next version (in the caller's transaction). Kept rows carry
 * their key, new ones get a fresh one. Nothing changed: the current version, no new one.
 */
export async function saveFormVersion(
  tx: Db,
  departmentId: string,
  body: ReportFormSaveBody,
  userId: string,
): Promise<{ form: DepartmentForm; changed: boolean; added: number; removed: number }> {
  const current = await latestForm(tx, departmentId);
  if (body.baseVersion !== current.version)
    throw new HttpError(409, 'conflict', 'Форму только что изменили: обновите страницу и повторите');
  const currentKeys = new Map(current.added.map((r) => [r.key, r]));
  const errors: Record<string, string> = {};
  const keptKeys = new Set<string>();
  const labels = new Map<string, Set<string>>();
  for (const r of reportFormV1) {
    const set = labels.get(r.section) ?? new Set<string>();
    set.add(norm(r.label));
    labels.set(r.section, set);
  }
  body.rows.forEach((r, i) => {
    if (r.key !== undefined) {
      if (!currentKeys.has(r.key) || keptKeys.has(r.key)) errors[`rows.${i}.key`] = 'Такой строки в форме нет';
      keptKeys.add(r.key);
    }
    const set = labels.get(r.section) ?? new Set<string>();
    if (set.has(norm(r.label))) errors[`rows.${i}.label`] = 'Такая строка в этом разделе уже есть';
    set.add(norm(r.label));
    labels.set(r.section, set);
  });
  if (Object.keys(errors).length > 0) throw badRequest(errors);

  const unchanged =
    body.rows.length === current.added.length &&
    body.rows.every((r, i) => {
      const c = current.added[i]!;
      return r.key === c.key && r.section === c.section && r.label.trim() === c.label;
    });
  if (unchanged) return { form: current, changed: false, added: 0, removed: 0 };

  const versions = await tx.reportFormVersion.findMany({ where: { departmentId }, select: { rows: true } });
  const used = new Set(versions.flatMap((v) => storedRows(v.rows).map((r) => r.key)));
  const rows: StoredRow[] = body.rows.map((r) => {
    const key = r.key ?? newKey(used);
    used.add(key);
    return { key, section: r.section, label: r.label.trim() };
  });
  const version = Math.max(current.version, 1) + 1;
  const saved = await tx.reportFormVersion
    .create({ data: { departmentId, version, rows: rows as unknown as object[], createdById: userId } })
    .catch((e: unknown) => {
      if (isUniqueViolation(e)) throw new HttpError(409, 'conflict', 'Форму только что изменили: обновите страницу и повторите');
      throw e;
    });
  return {
    form: toForm(saved),
    changed: true,
    added: rows.filter((r) => !currentKeys.has(r.key)).length,
    removed: current.added.filter((r) => !keptKeys.has(r.key)).length,
  };
}
