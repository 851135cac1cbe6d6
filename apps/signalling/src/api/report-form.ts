// A department's own rows of the monthly report form (reports/form-versions.ts): the admin
// reads the current form and saves a new version; the head of an institution enters the
// month's figures of the added rows by hand until the month is submitted.
import { contract, reportFormSections, type ReportFormSection, type ReportFormState } from '@dp/protocol';
import { HttpError, badRequest, notFound } from './errors.ts';
import { audit } from './audit.ts';
import { defineRoute, routeTable } from './route.ts';
import type { Db } from '../reports/figures.ts';
import { latestForm, lockMonth, saveFormVersion, type DepartmentForm } from '../reports/form-versions.ts';
import { institutionMonth } from '../reports/month-report.ts';
import { apiRows } from '../reports/totals.ts';

async function formState(db: Db, form: DepartmentForm): Promise<ReportFormState> {
  const by = form.createdById ? await db.staffUser.findUnique({ where: { id: form.createdById }, select: { displayName: true } }) : null;
  return {
    version: form.version,
    createdAt: form.createdAt?.toISOString() ?? null,
    createdBy: by?.displayName ?? null,
    builtIn: apiRows(form.rows.filter((r) => !r.manual)),
    added: form.added.map((r) => ({ ...r, sectionLabel: reportFormSections[r.section] })),
    sections: (Object.keys(reportFormSections) as ReportFormSection[]).map((key) => ({ key, label: reportFormSections[key] })),
  };
}

const FROZEN: Record<string, string> = {
  submitted: 'Отчёт за этот месяц уже отправлен: изменить его нельзя',
  accepted: 'Отчёт за этот месяц уже принят: изменить его нельзя',
};

export const reportFormRoutes = routeTable([
  defineRoute(contract['reports.form_get'], {
    handler: async ({ params, deps, access }) => {
      if (access.caller?.user.departmentId !== params.departmentId) throw notFound('department');
      return formState(deps.prisma, await latestForm(deps.prisma, params.departmentId));
    },
  }),

  defineRoute(contract['reports.form_save'], {
    handler: async ({ params, body, deps, access, actor }) => {
      const user = access.caller?.user;
      if (user?.departmentId !== params.departmentId) throw notFound('department');
      const form = await deps.prisma.$transaction(async (tx) => {
        const saved = await saveFormVersion(tx, params.departmentId, body, user.id);
        if (saved.changed)
          await audit(tx, actor, {
            action: 'report.form_changed',
            targetType: 'department',
            targetId: params.departmentId,
            institutionId: null,
            details: { version: saved.form.version, added: saved.added, rows: saved.form.added.length },
          });
        return saved.form;
      });
      return formState(deps.prisma, form);
    },
  }),

  defineRoute(contract['reports.inputs_save'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ params, body, deps, institution, actor, access }) => {
      const user = access.caller!.user;
      await deps.prisma.$transaction(async (tx) => {
        await lockMonth(tx, institution.id, params.month);
        const report = await tx.monthlyReport.findUnique({
          where: { institutionId_month: { institutionId: institution.id, month: params.month } },
          select: { status: true },
        });
        const refusal = report ? FROZEN[report.status] : undefined;
        if (refusal) throw new HttpError(409, 'conflict', refusal);
        const form = await latestForm(tx, institution.departmentId);
        const manual = new Set(form.rows.filter((r) => r.manual).map((r) => r.key));
        const unknown = Object.keys(body.values).filter((key) => !manual.has(key));
        if (unknown.length > 0) throw badRequest(Object.fromEntries(unknown.map((key) => [`values.${key}`, 'Такой строки в форме нет'])));
        const where = { institutionId_month: { institutionId: institution.id, month: params.month } };
        const existing = await tx.monthlyReportInput.findUnique({ where });
        const values: Record<string, number> = {};
        for (const [key, value] of Object.entries({ ...((existing?.values as Record<string, number | null>) ?? {}), ...body.values }))
          if (value !== null) values[key] = value;
        await tx.monthlyReportInput.upsert({
          where,
          create: { institutionId: institution.id, month: params.month, values, updatedById: user.id },
          update: { values, updatedById: user.id },
        });
        await audit(tx, actor, {
          action: 'report.inputs_saved',
          targetType: 'monthly_report',
          targetId: `${institution.id}:${params.month}`,
          institutionId: institution.id,
          details: { month: params.month, rows: Object.keys(body.values).length },
        });
      });
      return institutionMonth(deps.prisma, institution, params.month, deps.now(), { maySubmit: true });
    },
  }),
]);
