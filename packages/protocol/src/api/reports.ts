import { z } from 'zod';
import { Instant, LocalDate, Uuid } from './common.ts';

// The monthly report of an institution (информация о работе «дистанционной приёмной»), the
// department's consolidated month with its analytical note, and the reporting period's
// settings. The form's rows: report-form.ts; the figures: apps/signalling/src/reports/figures.ts.

export const ReportMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "expected a month 'YYYY-MM'")
  .meta({ description: "'YYYY-MM', the reporting month" });

export const ReportMonthParams = z.object({ institutionId: Uuid, month: ReportMonth });
export const DepartmentMonthParams = z.object({ departmentId: Uuid, month: ReportMonth });
export const DepartmentParams = z.object({ departmentId: Uuid });

/** not_submitted: nothing frozen yet; the others are MonthlyReport's statuses. */
export const ReportStatus = z.enum(['not_submitted', 'submitted', 'accepted', 'returned']);
export type ReportStatus = z.infer<typeof ReportStatus>;

/** A month's figures by row key (null: nothing to average). */
export const ReportFiguresSchema = z.record(z.string(), z.number().nullable());

export const ReportRow = z.object({
  key: z.string(),
  section: z.string(),
  sectionLabel: z.string(),
  label: z.string(),
  kind: z.enum(['count', 'average', 'percent']),
  /** A row the department added: the head enters its figure by hand (api/report-form.ts). */
  manual: z.boolean().optional(),
});
export type ReportRow = z.infer<typeof ReportRow>;

export const ReportPeriodSchema = z.object({
  from: Instant,
  to: Instant,
  /** The first and the last local day the period covers. */
  firstDay: LocalDate,
  lastDay: LocalDate,
  timeZone: z.string(),
});

export const ReportCorrection = z.object({
  key: z.string(),
  label: z.string(),
  frozen: z.number().nullable(),
  live: z.number().nullable(),
});
export type ReportCorrection = z.infer<typeof ReportCorrection>;

export const ReportTrendPoint = z.object({
  month: ReportMonth,
  held: z.number().nullable(),
  requests: z.number().nullable(),
  /** Answered on time, % of the requests whose deadline came (null: none came). */
  onTimeShare: z.number().nullable(),
  /** From the submitted (frozen) report, else live. */
  frozen: z.boolean(),
});
export type ReportTrendPoint = z.infer<typeof ReportTrendPoint>;

export const InstitutionReportMonth = z.object({
  institutionId: Uuid,
  institutionName: z.string(),
  month: ReportMonth,
  formVersion: z.number().int(),
  rows: z.array(ReportRow),
  period: ReportPeriodSchema,
  dueDate: LocalDate,
  status: ReportStatus,
  /** Not submitted (or returned) and the due day has passed. */
  overdue: z.boolean(),
  live: ReportFiguresSchema,
  /** The figures as submitted: THE report once submitted. */
  frozen: ReportFiguresSchema.nullable(),
  submittedAt: Instant.nullable(),
  submittedBy: z.string().nullable(),
  decidedAt: Instant.nullable(),
  decidedBy: z.string().nullable(),
  returnComment: z.string().nullable(),
  /** Rows whose live figure differs from the frozen one (later corrections; the frozen stays the report). */
  corrections: z.array(ReportCorrection),
  /** The previous 12 months and this one, oldest first. */
  trend: z.array(ReportTrendPoint),
  /** May the caller submit it now (the institution's head; not when submitted or accepted). */
  canSubmit: z.boolean(),
});
export type InstitutionReportMonth = z.infer<typeof InstitutionReportMonth>;

export const ReturnReportBody = z
  .object({ comment: z.string().trim().min(1, 'Напишите, что исправить').max(2000, 'Не длиннее 2000 символов') })
  .strict();
export const NoReportBody = z.object({}).strict().optional();

export const ReportDecision = z.object({ status: ReportStatus, decidedAt: Instant.nullable() });

export const ConsolidatedInstitution = z.object({
  institutionId: Uuid,
  name: z.string(),
  resourceCentre: z.boolean(),
  status: ReportStatus,
  /** The figures are the submitted ones (else live, marked as such). */
  frozen: z.boolean(),
  submittedAt: Instant.nullable(),
  /** When the resource centre accepted or returned it (null: not decided). */
  decidedAt: Instant.nullable(),
  /** The institution's time zone (its times are shown on its clock). */
  timeZone: z.string(),
  /** Submitted after the due day, or not submitted once it passed. */
  late: z.boolean(),
  returnComment: z.string().nullable(),
  figures: ReportFiguresSchema,
});
export type ConsolidatedInstitution = z.infer<typeof ConsolidatedInstitution>;

export const ConsolidatedMonth = z.object({
  departmentId: Uuid,
  month: ReportMonth,
  formVersion: z.number().int(),
  rows: z.array(ReportRow),
  institutionDueDate: LocalDate,
  consolidatedDueDate: LocalDate,
  institutions: z.array(ConsolidatedInstitution),
  /** Sums; averages weighted by their counts. */
  totals: ReportFiguresSchema,
  note: z.object({ text: z.string().nullable(), sentAt: Instant.nullable(), sentBy: z.string().nullable() }),
  /** The caller is the resource centre (accepts, returns, writes the note). */
  resourceCentre: z.boolean(),
});
export type ConsolidatedMonth = z.infer<typeof ConsolidatedMonth>;

export const NoteDraft = z.object({ text: z.string() });
export const NoteSaveBody = z.object({ text: z.string().max(20_000, 'Не длиннее 20 000 символов') }).strict();
export const NoteState = z.object({ text: z.string().nullable(), sentAt: Instant.nullable() });

const Day = z.number({ error: 'Число от 1 до 28' }).int('Целое число от 1 до 28').min(1, 'Не меньше 1').max(28, 'Не больше 28');
export const ReportSettings = z.object({
  /** Month M starts on this day of M−1 (1 = the calendar month). */
  periodStartDay: Day,
  /** Institutions submit month M by this day of M. */
  institutionDueDay: Day,
  /** The consolidated form is due on this day of M+1. */
  consolidatedDueDay: Day,
});
export type ReportSettings = z.infer<typeof ReportSettings>;
export const ReportSettingsBody = ReportSettings.strict();

export const ReportExportQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') });
/** The file's bytes (the pipeline sends them with the operation's `produces` type; JSON Schema cannot say «bytes»). */
export const ReportFile = z.unknown().meta({ description: 'the file: XLSX or CSV (UTF-8 with a BOM, `;`)' });

export const ReportRecordsQuery = z.object({ key: z.string().min(1).max(80) });
export const ReportRecord = z.object({
  type: z.enum(['consultation', 'request']),
  id: Uuid,
  at: Instant,
  /** «№ 12/2026» for a request. */
  number: z.string().nullable(),
  specialist: z.string().nullable(),
  kind: z.string().nullable(),
  form: z.string().nullable(),
  state: z.string(),
  /** The client's / participants' names: only for those who may read the institution's journal. */
  names: z.array(z.string()).nullable(),
});
export type ReportRecord = z.infer<typeof ReportRecord>;
export const ReportRecords = z.object({ key: z.string(), label: z.string(), withNames: z.boolean(), records: z.array(ReportRecord) });
export type ReportRecords = z.infer<typeof ReportRecords>;
