// Planned work, continued: the dyad programme's evaluation (итоги программы: the dynamics of
// the rehabilitation process and each family's motivation at the end) and the month's act of
// services rendered per client (акт оказанных услуг): the client's held consultations in the
// institution's local month, counted as services when the registry flags ИППСУ or ИПСР, with
// its XLSX (a total row). Audit rows: ids, codes and field names only.
import type { PrismaClient, TransactionClient } from '@dp/db';
import { contract, type DyadEvaluation, type ServiceAct, type ServiceProgramme } from '@dp/protocol';
import { attachment, toXlsx } from '../export/table-export.ts';
import { clientConsultations, clientOwners, localDate, localMonth } from '../planned/client-consultations.ts';
import { audit } from './audit.ts';
import { notFound } from './errors.ts';
import { defineRoute, routeTable } from './route.ts';

type Db = PrismaClient | TransactionClient;

const evaluationInclude = {
  dyad: { select: { client1Motivation: true, client2Motivation: true } },
  evaluatedBy: { select: { id: true, displayName: true } },
} as const;

async function dyadCurator(db: Db, institutionId: string, dyadId: string): Promise<string[]> {
  const row = await db.dyad.findFirst({ where: { id: dyadId, institutionId }, select: { curatorId: true } });
  return row ? [row.curatorId] : [];
}

async function evaluationOf(db: Db, dyadId: string): Promise<DyadEvaluation | null> {
  const row = await db.dyadEvaluation.findUnique({ where: { dyadId }, include: evaluationInclude });
  if (!row) return null;
  return {
    dyadId: row.dyadId,
    dynamics: row.dynamics,
    dynamicsNote: row.dynamicsNote,
    motivationStart: [row.dyad.client1Motivation, row.dyad.client2Motivation],
    motivationEnd: [row.client1MotivationEnd, row.client2MotivationEnd],
    evaluatedBy: row.evaluatedBy,
    evaluatedAt: row.evaluatedAt.toISOString(),
  };
}

/** The act's rows: held consultations of the month, actual minutes when the room recorded them. */
export async function serviceAct(
  db: Db,
  institution: { id: string; timeZone: string },
  clientId: string,
  month: string,
): Promise<ServiceAct> {
  const client = await db.client.findFirst({ where: { id: clientId, institutionId: institution.id }, select: { ippsu: true, ipsr: true } });
  if (!client) throw notFound('client');
  const programmes: ServiceProgramme[] = [...(client.ippsu ? (['ippsu'] as const) : []), ...(client.ipsr ? (['ipsr'] as const) : [])];
  const { from, to } = localMonth(month, institution.timeZone);
  const held =
    programmes.length === 0 ? [] : (await clientConsultations(db, institution.id, clientId, from, to)).filter((c) => c.state === 'ended');
  const rows = held.map((c) => {
    const actual = c.startedAt && c.endedAt ? Math.round((c.endedAt.getTime() - c.startedAt.getTime()) / 60_000) : null;
    const first = c.specialists[0];
    return {
      consultationId: c.id,
      start: c.start.toISOString(),
      date: localDate(c.start, institution.timeZone),
      specialist: c.specialists.map((s) => s.displayName).join(', '),
      profession: (first?.profession ?? null) as ServiceAct['rows'][number]['profession'],
      form: c.form,
      minutes: actual !== null && actual > 0 ? actual : c.durationMinutes,
    };
  });
  return { clientId, month, timeZone: institution.timeZone, programmes, rows, totalMinutes: rows.reduce((s, r) => s + r.minutes, 0) };
}

const PROFESSION_RU: Record<string, string> = {
  psychologist: 'психолог',
  lawyer: 'юрист',
  speech_therapist: 'логопед',
  rehabilitation: 'специалист по реабилитации',
  exercise_instructor: 'инструктор ЛФК',
  other: 'другое',
};
const FORM_RU: Record<string, string> = { online: 'онлайн', phone: 'по телефону', email: 'по электронной почте' };
const PROGRAMME_RU: Record<ServiceProgramme, string> = { ippsu: 'ИППСУ', ipsr: 'ИПСР' };

/** The act as XLSX: №, date, specialist, profession, form, programme, minutes, services (1 each) — totals under the last two. */
export function serviceActXlsx(act: ServiceAct): Promise<Buffer> {
  const programme = act.programmes.map((p) => PROGRAMME_RU[p]).join(', ');
  const rows = act.rows.map((r, i) => ({ ...r, n: i + 1 }));
  return toXlsx({
    sheet: `Акт ${act.month}`,
    columns: [
      { header: '№', type: 'integer', width: 5, value: (r) => r.n },
      { header: 'Дата', type: 'date', width: 12, value: (r) => new Date(`${r.date}T00:00:00Z`) },
      { header: 'Специалист', type: 'text', width: 28, value: (r) => r.specialist },
      { header: 'Направление', type: 'text', width: 24, value: (r) => (r.profession ? PROFESSION_RU[r.profession] : null) },
      { header: 'Форма', type: 'text', width: 20, value: (r) => FORM_RU[r.form] },
      { header: 'Программа', type: 'text', width: 14, value: () => programme },
      { header: 'Длительность, мин', type: 'integer', width: 12, value: (r) => r.minutes, total: true },
      { header: 'Услуг', type: 'integer', width: 8, value: () => 1, total: true },
    ],
    rows,
  });
}

export const plannedWorkRoutes = routeTable([
  defineRoute(contract['dyads.evaluation'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ params, deps }) => dyadCurator(deps.prisma, params.institutionId, params.dyadId),
    handler: async ({ params, institution, deps }) => {
      const dyad = await deps.prisma.dyad.findFirst({ where: { id: params.dyadId, institutionId: institution.id }, select: { id: true } });
      if (!dyad) throw notFound('dyad');
      return { evaluation: await evaluationOf(deps.prisma, dyad.id) };
    },
  }),

  defineRoute(contract['dyads.evaluate'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ params, deps }) => dyadCurator(deps.prisma, params.institutionId, params.dyadId),
    handler: async ({ params, body, institution, deps, actor }) => {
      const dyad = await deps.prisma.dyad.findFirst({ where: { id: params.dyadId, institutionId: institution.id }, select: { id: true } });
      if (!dyad) throw notFound('dyad');
      // The router lets only signed-in staff this far; the evaluator is the caller.
      if (actor.type !== 'staff' || actor.id === null) throw notFound('record');
      const evaluatorId = actor.id;
      await deps.prisma.$transaction(async (tx) => {
        const data = {
          dynamics: body.dynamics,
          dynamicsNote: body.dynamicsNote ?? null,
          client1MotivationEnd: body.motivationEnd[0],
          client2MotivationEnd: body.motivationEnd[1],
          evaluatedById: evaluatorId,
          evaluatedAt: deps.now(),
        };
        const existing = await tx.dyadEvaluation.findUnique({ where: { dyadId: dyad.id }, select: { dyadId: true } });
        await tx.dyadEvaluation.upsert({ where: { dyadId: dyad.id }, create: { dyadId: dyad.id, ...data }, update: data });
        await audit(tx, actor, {
          action: existing ? 'dyad.evaluation_changed' : 'dyad.evaluated',
          targetType: 'dyad',
          targetId: dyad.id,
          institutionId: institution.id,
          details: { dynamics: body.dynamics, motivation1: body.motivationEnd[0], motivation2: body.motivationEnd[1] },
        });
      });
      return (await evaluationOf(deps.prisma, dyad.id))!;
    },
  }),

  defineRoute(contract['services.act'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ params, deps }) => clientOwners(deps.prisma, params.institutionId, params.clientId),
    handler: ({ params, query, institution, deps }) => serviceAct(deps.prisma, institution, params.clientId, query.month),
  }),

  defineRoute(contract['services.act_xlsx'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ params, deps }) => clientOwners(deps.prisma, params.institutionId, params.clientId),
    handler: async ({ params, query, institution, deps, http }) => {
      const act = await serviceAct(deps.prisma, institution, params.clientId, query.month);
      http.setHeader('Content-Disposition', attachmentName(query.month));
      return serviceActXlsx(act);
    },
  }),
]);

function attachmentName(month: string): string {
  return attachment(`Акт оказанных услуг ${month}.xlsx`);
}
