// A department's own rows of the monthly report form: the department's admin (who also sets the
// reporting period, /reports/settings) reads the current form and saves a new version; the head
// of an institution enters the added rows' figures of a month by hand until it is submitted.
import {
  DepartmentParams,
  InstitutionReportMonth,
  ReportFormSaveBody,
  ReportFormState,
  ReportInputsBody,
  ReportMonthParams,
} from '../api/index.ts';
import { byName, defineOperation } from './operation.ts';

const form = '/departments/:departmentId/report-form';

export const reportFormOperations = byName([
  defineOperation({
    name: 'reports.form_get',
    action: 'reports.form_get',
    method: 'get',
    path: form,
    summary: "The department's current monthly report form: the built-in rows and the rows it added",
    tag: 'reports',
    params: DepartmentParams,
    response: ReportFormState,
    errors: [404],
    institutionScoped: false,
  }),
  defineOperation({
    name: 'reports.form_save',
    action: 'reports.form_save',
    method: 'put',
    path: form,
    summary: 'Save the added rows as a new version of the form (months already submitted keep theirs)',
    description:
      'Kept rows carry their key, new rows none (the server makes one, never reused). ' +
      'The built-in rows cannot be removed. A `baseVersion` older than the current one is a 409.',
    tag: 'reports',
    params: DepartmentParams,
    body: ReportFormSaveBody,
    response: ReportFormState,
    errors: [404, 409],
    institutionScoped: false,
  }),
  defineOperation({
    name: 'reports.inputs_save',
    action: 'reports.inputs_save',
    method: 'put',
    path: '/institutions/:institutionId/reports/:month/inputs',
    summary: "The head's hand-entered figures of the month's added rows (until the month is submitted)",
    description: "A key that is not an added row of the month's form is a 400; a submitted or accepted month a 409.",
    tag: 'reports',
    params: ReportMonthParams,
    body: ReportInputsBody,
    response: InstitutionReportMonth,
    errors: [409],
    institutionScoped: true,
  }),
]);
