// Monthly reports of an institution: the month on screen, submission by the head, acceptance
// or return by the resource centre, the exports and the drill-down. The department's side
// (the consolidated month, the analytical note, the settings): report-department.ts.
import { CURRENT_REPORT_FORM_VERSION, contract, type ReportRecord } from '@dp/protocol';
import { HttpError, badRequest, notFound } from './errors.ts';
import { audit } from './audit.ts';
import { defineRoute, routeTable } from './route.ts';
import type { ApiDeps } from './deps.ts';
import { CSV_TYPE, XLSX_TYPE, attachment } from '../export/table-export.ts';
import { departmentInstitution, isResourceCentre, requireResourceCentre } from '../reports/access.ts';
import { UnknownFigureError, figureRecords, institutionMonthFigures, reportPeriod } from '../reports/figures.ts';
import { formRows, institutionMonth } from '../reports/month-report.ts';
import { emptyManualRows, latestForm, lockMonth, monthInputs, withInputs } from '../reports/form-versions.ts';
import { institutionCsv, institutionXlsx } from '../reports/report-export.ts';

const fromPath = ({ params }: { params: { institutionId: string } }) => params.institutionId;

async function decide(
  deps: ApiDeps,
  user: Parameters<typeof requireResourceCentre>[1],
  params: { institutionId: string; month: string },
  actor: Parameters<typeof audit>[1],
  decision: { status: 'accepted' } | { status: 'returned'; comment: string },
) {
  const institution = await departmentInstitution(deps.prisma, user, params.institutionId);
  await requireResourceCentre(deps.prisma, user, institution.departmentId);
  const now = deps.now();
  return deps.prisma.$transaction(async (tx) => {
    const report = await tx.monthlyReport.findUnique({
      where: { institutionId_month: { institutionId: institution.id, month: params.month } },
    });
    if (!report) throw new HttpError(409, 'conflict', 'Отчёт за этот месяц ещё не представлен');
    if (report.status !== 'submitted')
      throw new HttpError(
        409,
        'conflict',
        report.status === 'accepted' ? 'Отчёт уже принят' : 'Отчёт возвращён на доработку: ждём новой отправки',
      );
    const updated = await tx.monthlyReport.update({
      where: { id: report.id, status: 'submitted' },
      data: {
        status: decision.status,
        decidedAt: now,
        decidedById: user!.id,
        returnComment: decision.status === 'returned' ? decision.comment : null,
      },
    });
    await audit(tx, actor, {
      action: decision.status === 'accepted' ? 'report.accepted' : 'report.returned',
      targetType: 'monthly_report',
      targetId: report.id,
      institutionId: institution.id,
      details: { month: params.month },
    });
    return { status: updated.status, decidedAt: now.toISOString() };
  });
}

export const reportRoutes = routeTable([
  defineRoute(contract['reports.month'], {
    institution: fromPath,
    handler: async ({ params, deps, institution, access }) =>
      institutionMonth(deps.prisma, institution, params.month, deps.now(), { maySubmit: access.caller?.user.role === 'head' }),
  }),

  defineRoute(contract['reports.submit'], {
    institution: fromPath,
    handler: async ({ params, deps, institution, actor, access }) => {
      const now = deps.now();
      const period = await reportPeriod(deps.prisma, institution.id, params.month);
      if (now < period.from) throw new HttpError(409, 'conflict', 'Отчётный период ещё не начался');
      await deps.prisma.$transaction(async (tx) => {
        await lockMonth(tx, institution.id, params.month);
        const existing = await tx.monthlyReport.findUnique({
          where: { institutionId_month: { institutionId: institution.id, month: params.month } },
        });
        if (existing && existing.status !== 'returned')
          throw new HttpError(409, 'conflict', existing.status === 'accepted' ? 'Отчёт уже принят' : 'Отчёт уже отправлен');
        // The department's form in force now, with the head's hand-entered figures of its added rows.
        const form = await latestForm(tx, institution.departmentId);
        const inputs = await monthInputs(tx, institution.id, params.month);
        const empty = emptyManualRows(form.rows, inputs);
        if (empty.length > 0)
          throw new HttpError(
            409,
            'conflict',
            `Заполните строки, которые вводятся вручную: ${empty.map((r) => `«${r.label}»`).join(', ')}`,
            Object.fromEntries(empty.map((r) => [`values.${r.key}`, 'Введите число'])),
          );
        const figures = withInputs(form.rows, await institutionMonthFigures(tx, institution.id, params.month, { now }), inputs);
        const data = {
          formVersion: form.version,
          status: 'submitted' as const,
          figures,
          submittedAt: now,
          submittedById: access.caller!.user.id,
          decidedAt: null,
          decidedById: null,
        };
        const saved = existing
          ? await tx.monthlyReport.update({ where: { id: existing.id, status: 'returned' }, data })
          : await tx.monthlyReport.create({ data: { ...data, institutionId: institution.id, month: params.month } });
        await audit(tx, actor, {
          action: 'report.submitted',
          targetType: 'monthly_report',
          targetId: saved.id,
          institutionId: institution.id,
          details: { month: params.month, resubmitted: existing !== null },
        });
      });
      return institutionMonth(deps.prisma, institution, params.month, now, { maySubmit: true });
    },
  }),

  defineRoute(contract['reports.accept'], {
    handler: async ({ params, deps, actor, access }) => decide(deps, access.caller?.user, params, actor, { status: 'accepted' }),
  }),

  defineRoute(contract['reports.return'], {
    handler: async ({ params, body, deps, actor, access }) =>
      decide(deps, access.caller?.user, params, actor, { status: 'returned', comment: body.comment }),
  }),

  defineRoute(contract['reports.export'], {
    institution: fromPath,
    handler: async ({ params, query, deps, institution, actor, http }) => {
      const report = await institutionMonth(deps.prisma, institution, params.month, deps.now(), { maySubmit: false });
      const file = query.format === 'csv' ? await institutionCsv(report) : await institutionXlsx(report);
      await audit(deps.prisma, actor, {
        action: 'report.exported',
        targetType: 'monthly_report',
        targetId: `${institution.id}:${params.month}`,
        institutionId: institution.id,
        details: { month: params.month, format: query.format },
      });
      http.setHeader('Content-Type', query.format === 'csv' ? CSV_TYPE : XLSX_TYPE);
      http.setHeader('Content-Disposition', attachment(`Отчёт ${institution.name} ${params.month}.${query.format}`));
      return file;
    },
  }),

  defineRoute(contract['reports.records'], {
    handler: async ({ params, query, deps, access, actor }) => {
      const user = access.caller!.user;
      const institution = await departmentInstitution(deps.prisma, user, params.institutionId);
      // Names: those who may read the institution's journal (its head). The department's
      // admin and the resource centre: the records without names. Any other head: not theirs.
      const withNames = user.role === 'head' && user.institutionId === institution.id;
      if (!withNames && !(await isResourceCentre(deps.prisma, user, institution.departmentId))) throw notFound('institution');
      const row = formRows(CURRENT_REPORT_FORM_VERSION).find((r) => r.key === query.key);
      if (!row) throw badRequest({ 'query.key': 'Такого показателя в форме нет' });
      const ids = await figureRecords(deps.prisma, institution.id, params.month, query.key, { now: deps.now() }).catch((e: unknown) => {
        // Averages and shares have no list of records behind them.
        if (e instanceof UnknownFigureError) throw badRequest({ 'query.key': 'У этого показателя нет списка записей' });
        throw e;
      });
      const [consultations, requests] = await Promise.all([
        deps.prisma.consultation.findMany({
          where: { id: { in: ids.consultationIds }, institutionId: institution.id },
          include: {
            specialists: { include: { specialist: { select: { displayName: true } } } },
            participants: { where: { staffUserId: null }, select: { displayName: true } },
          },
          orderBy: { start: 'asc' },
        }),
        deps.prisma.request.findMany({
          where: { id: { in: ids.requestIds }, institutionId: institution.id },
          include: { responsibleSpecialist: { select: { displayName: true } } },
          orderBy: { receivedAt: 'asc' },
        }),
      ]);
      const records: ReportRecord[] = [
        ...consultations.map((c) => ({
          type: 'consultation' as const,
          id: c.id,
          at: c.start.toISOString(),
          number: null,
          specialist: c.specialists.map((s) => s.specialist.displayName).join(', ') || null,
          kind: c.kind,
          form: c.form,
          state: c.state,
          names: withNames ? c.participants.map((p) => p.displayName ?? 'Аноним') : null,
        })),
        ...requests.map((r) => ({
          type: 'request' as const,
          id: r.id,
          at: r.receivedAt.toISOString(),
          number: `${r.number}/${r.year}`,
          specialist: r.responsibleSpecialist?.displayName ?? null,
          kind: r.channel,
          form: null,
          state: r.status,
          names: withNames ? (r.anonymous ? ['Анонимно'] : [r.representativeName ?? r.fromWhom]) : null,
        })),
      ];
      if (withNames)
        await audit(deps.prisma, actor, {
          action: 'report.records_viewed',
          targetType: 'monthly_report',
          targetId: `${institution.id}:${params.month}`,
          institutionId: institution.id,
          details: { month: params.month, key: query.key, count: records.length },
        });
      return { key: row.key, label: row.label, withNames, records };
    },
  }),
]);
