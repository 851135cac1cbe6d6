// The department's side of the monthly reports: the consolidated month (every institution's
// status and figures, the totals), its export, the analytical note (draft, edit, send) and the
// reporting period's settings. Department-level (not institution-scoped): the department in
// the path must be the caller's (404 otherwise); heads are narrowed to the resource centre.
import { contract, type ReportFigures } from '@dp/protocol';
import { HttpError, notFound } from './errors.ts';
import { audit } from './audit.ts';
import { defineRoute, routeTable } from './route.ts';
import type { ApiDeps } from './deps.ts';
import type { StaffPrincipal } from '../auth/session-store.ts';
import { CSV_TYPE, XLSX_TYPE, attachment } from '../export/table-export.ts';
import { isResourceCentre, requireResourceCentre } from '../reports/access.ts';
import { consolidatedMonth, departmentFigures, formRows } from '../reports/month-report.ts';
import { draftNote } from '../reports/note-draft.ts';
import { consolidatedCsv, consolidatedXlsx } from '../reports/report-export.ts';
import { addMonths, departmentTotals } from '../reports/totals.ts';
import { CURRENT_REPORT_FORM_VERSION } from '@dp/protocol';

type User = StaffPrincipal['user'];

/** The consolidated month is read by the department's admin and the resource centre. */
async function viewer(deps: ApiDeps, user: User | undefined, departmentId: string): Promise<boolean> {
  await requireResourceCentre(deps.prisma, user, departmentId);
  return isResourceCentre(deps.prisma, user!, departmentId);
}

async function editableNote(deps: ApiDeps, departmentId: string, month: string) {
  const note = await deps.prisma.consolidatedReport.findUnique({ where: { departmentId_month: { departmentId, month } } });
  if (note?.sentAt) throw new HttpError(409, 'conflict', 'Записка уже отправлена: изменить её нельзя');
  return note;
}

async function totalsOf(deps: ApiDeps, departmentId: string, month: string): Promise<ReportFigures> {
  const { figures } = await departmentFigures(deps.prisma, departmentId, month, deps.now());
  return departmentTotals(
    formRows(CURRENT_REPORT_FORM_VERSION),
    [...figures.values()].map((f) => f.figures),
  );
}

export const reportDepartmentRoutes = routeTable([
  defineRoute(contract['reports.consolidated'], {
    handler: async ({ params, deps, access }) => {
      const rc = await viewer(deps, access.caller?.user, params.departmentId);
      return consolidatedMonth(deps.prisma, params.departmentId, params.month, deps.now(), rc);
    },
  }),

  defineRoute(contract['reports.consolidated_export'], {
    handler: async ({ params, query, deps, access, actor, http }) => {
      const rc = await viewer(deps, access.caller?.user, params.departmentId);
      const month = await consolidatedMonth(deps.prisma, params.departmentId, params.month, deps.now(), rc);
      const file = query.format === 'csv' ? await consolidatedCsv(month) : await consolidatedXlsx(month);
      await audit(deps.prisma, actor, {
        action: 'report.consolidated_exported',
        targetType: 'consolidated_report',
        targetId: `${params.departmentId}:${params.month}`,
        institutionId: null,
        details: { month: params.month, format: query.format },
      });
      http.setHeader('Content-Type', query.format === 'csv' ? CSV_TYPE : XLSX_TYPE);
      http.setHeader('Content-Disposition', attachment(`Сводный отчёт ${params.month}.${query.format}`));
      return file;
    },
  }),

  defineRoute(contract['reports.note_draft'], {
    handler: async ({ params, deps, access }) => {
      const rc = await viewer(deps, access.caller?.user, params.departmentId);
      const month = await consolidatedMonth(deps.prisma, params.departmentId, params.month, deps.now(), rc);
      const [previous, yearAgo] = await Promise.all([
        totalsOf(deps, params.departmentId, addMonths(params.month, -1)),
        totalsOf(deps, params.departmentId, addMonths(params.month, -12)),
      ]);
      const text = draftNote({
        month: params.month,
        current: month.totals,
        previous,
        yearAgo,
        institutionDueDate: month.institutionDueDate,
        institutions: month.institutions.map((i) => ({
          name: i.name,
          held: i.figures['consultations.held'] ?? 0,
          submitted: i.status !== 'not_submitted',
          late: i.late,
        })),
      });
      return { text };
    },
  }),

  defineRoute(contract['reports.note_save'], {
    handler: async ({ params, body, deps, access, actor }) => {
      await requireResourceCentre(deps.prisma, access.caller?.user, params.departmentId);
      return deps.prisma.$transaction(async (tx) => {
        await editableNote(deps, params.departmentId, params.month);
        const saved = await tx.consolidatedReport.upsert({
          where: { departmentId_month: { departmentId: params.departmentId, month: params.month } },
          create: { departmentId: params.departmentId, month: params.month, note: body.text },
          update: { note: body.text },
        });
        await audit(tx, actor, {
          action: 'report.note_saved',
          targetType: 'consolidated_report',
          targetId: saved.id,
          institutionId: null,
          details: { month: params.month },
        });
        return { text: saved.note, sentAt: null };
      });
    },
  }),

  defineRoute(contract['reports.note_send'], {
    handler: async ({ params, deps, access, actor }) => {
      const user = access.caller?.user;
      await requireResourceCentre(deps.prisma, user, params.departmentId);
      const note = await editableNote(deps, params.departmentId, params.month);
      if (!note?.note?.trim()) throw new HttpError(409, 'conflict', 'Сначала составьте и сохраните записку');
      const now = deps.now();
      return deps.prisma.$transaction(async (tx) => {
        const sent = await tx.consolidatedReport.update({
          where: { id: note.id, sentAt: null },
          data: { sentAt: now, sentById: user!.id },
        });
        await audit(tx, actor, {
          action: 'report.note_sent',
          targetType: 'consolidated_report',
          targetId: sent.id,
          institutionId: null,
          details: { month: params.month },
        });
        return { text: sent.note, sentAt: now.toISOString() };
      });
    },
  }),

  defineRoute(contract['reports.settings_get'], {
    handler: async ({ params, deps, access }) => {
      if (access.caller?.user.departmentId !== params.departmentId) throw notFound('department');
      const d = await deps.prisma.department.findUniqueOrThrow({ where: { id: params.departmentId } });
      return {
        periodStartDay: d.reportPeriodStartDay,
        institutionDueDay: d.reportInstitutionDueDay,
        consolidatedDueDay: d.reportConsolidatedDueDay,
      };
    },
  }),

  defineRoute(contract['reports.settings_put'], {
    handler: async ({ params, body, deps, access, actor }) => {
      if (access.caller?.user.departmentId !== params.departmentId) throw notFound('department');
      return deps.prisma.$transaction(async (tx) => {
        const d = await tx.department.update({
          where: { id: params.departmentId },
          data: {
            reportPeriodStartDay: body.periodStartDay,
            reportInstitutionDueDay: body.institutionDueDay,
            reportConsolidatedDueDay: body.consolidatedDueDay,
          },
        });
        await audit(tx, actor, {
          action: 'report.settings_changed',
          targetType: 'department',
          targetId: d.id,
          institutionId: null,
          details: {
            periodStartDay: body.periodStartDay,
            institutionDueDay: body.institutionDueDay,
            consolidatedDueDay: body.consolidatedDueDay,
          },
        });
        return {
          periodStartDay: d.reportPeriodStartDay,
          institutionDueDay: d.reportInstitutionDueDay,
          consolidatedDueDay: d.reportConsolidatedDueDay,
        };
      });
    },
  }),
]);
