import { z } from 'zod';
import { Instant } from './common.ts';
import { ReportRow } from './reports.ts';
import { reportFormSections, type ReportFormSection } from '../report-form.ts';

// A department's own rows of the monthly report form (report_form_versions): the department's
// admin reads the current form and saves a new version; the head of an institution enters the
// added rows' figures by hand for the month until it is submitted.

/** The key of a row a department added: made by the server, never reused. */
export const AddedRowKey = z.string().regex(/^custom\.[a-z0-9]{8}$/, 'Такой строки в форме нет');

const sectionKeys = Object.keys(reportFormSections) as [ReportFormSection, ...ReportFormSection[]];
export const ReportFormSectionSchema = z.enum(sectionKeys, { error: 'Выберите раздел' });

export const AddedRow = z.object({ key: AddedRowKey, section: ReportFormSectionSchema, sectionLabel: z.string(), label: z.string() });
export type AddedRow = z.infer<typeof AddedRow>;

export const ReportFormState = z.object({
  /** 1: the built-in form only; 2, 3 …: the department's versions. */
  version: z.number().int().min(1),
  createdAt: Instant.nullable(),
  createdBy: z.string().nullable(),
  /** The built-in rows (cannot be removed), in the form's order. */
  builtIn: z.array(ReportRow),
  /** The rows the department added (the head enters their figures by hand). */
  added: z.array(AddedRow),
  /** The sections an added row may go to, in the form's order. */
  sections: z.array(z.object({ key: ReportFormSectionSchema, label: z.string() })),
});
export type ReportFormState = z.infer<typeof ReportFormState>;

export const ReportFormRowInput = z
  .object({
    /** An added row kept from the current version; none for a new row. */
    key: AddedRowKey.optional(),
    section: ReportFormSectionSchema,
    label: z.string({ error: 'Напишите название строки' }).trim().min(3, 'Не короче 3 символов').max(200, 'Не длиннее 200 символов'),
  })
  .strict();

export const ReportFormSaveBody = z
  .object({
    /** The version the admin edited: a newer one saved meanwhile is a 409 (reload). */
    baseVersion: z.number().int().min(1),
    /** Every added row of the new version: the kept ones with their key, the new ones without. */
    rows: z.array(ReportFormRowInput).max(50, 'Не больше 50 добавленных строк'),
  })
  .strict();
export type ReportFormSaveBody = z.infer<typeof ReportFormSaveBody>;

/** A hand-entered figure: a whole number ≥ 0, or null to clear it. */
const EnteredFigure = z
  .number({ error: 'Введите целое число' })
  .int('Введите целое число')
  .min(0, 'Не меньше 0')
  .max(1_000_000, 'Не больше 1 000 000')
  .nullable();

export const ReportInputsBody = z.object({ values: z.record(z.string().max(80), EnteredFigure) }).strict();
export type ReportInputsBody = z.infer<typeof ReportInputsBody>;
