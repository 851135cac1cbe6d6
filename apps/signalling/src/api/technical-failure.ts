// POST /api/consultations/:id/technical-failure: the specialist's equipment failed its
// pre-check and cannot be fixed (the seed rule: report to the head, who may set a new date;
// the client is told at once). Recorded as a failed pre-check, the heads of the institution
// get an in-app alert (and the dashboard's «pre-check failed»), an open room closes with
// that reason, and the client's link page says so until the head moves the consultation
// (the reschedule route clears it); the client is also e-mailed when it left an address.
import { ConsultationParams, TechnicalFailureBody, TechnicalFailureReported } from '@dp/protocol';
import { audit } from './audit.ts';
import { institutionOfConsultation, staffOfConsultation } from './consultations.ts';
import { HttpError } from './errors.ts';
import { defineRoute } from './route.ts';
import { addressNotice, headsOf } from '../timetable/staff-notices.ts';

/** Before the consultation goes live: afterwards a failure is the room's, not the pre-check's. */
const REPORTABLE = new Set(['planned', 'precheck', 'open']);

export const technicalFailureRoutes = [
  defineRoute({
    name: 'consultations.technical_failure',
    method: 'post',
    path: '/consultations/:consultationId/technical-failure',
    summary: 'The specialist reports a technical failure before the start: heads alerted, the client told at once',
    description: '409 `conflict` once the consultation is live or over. Reporting twice keeps the first report.',
    tag: 'consultations',
    params: ConsultationParams,
    body: TechnicalFailureBody,
    response: TechnicalFailureReported,
    errors: [409],
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, institution, deps, actor }) => {
      const id = params.consultationId;
      const c = await deps.prisma.consultation.findUniqueOrThrow({
        where: { id },
        select: { state: true, technicalFailureAt: true, specialists: { select: { specialistId: true } } },
      });
      if (!REPORTABLE.has(c.state))
        throw new HttpError(409, 'conflict', `the consultation is ${c.state}: too late for a pre-check failure`);
      let reportedAt = c.technicalFailureAt;
      if (!reportedAt) {
        const at = deps.now();
        reportedAt = at;
        const specialists = c.specialists.map((s) => s.specialistId);
        // The failed check is the reporter's when they are one of its specialists.
        const specialistId = actor.id && specialists.includes(actor.id) ? actor.id : specialists[0];
        const heads = await headsOf(deps.prisma, institution.id);
        await deps.prisma.$transaction(async (tx) => {
          await tx.consultation.update({ where: { id }, data: { technicalFailureAt: at, version: { increment: 1 } } });
          if (specialistId)
            await tx.precheckResult.create({ data: { consultationId: id, specialistId, passed: false, notes: 'technical_failure' } });
          await audit(tx, actor, {
            action: 'consultation.technical_failure',
            targetType: 'consultation',
            targetId: id,
            institutionId: institution.id,
            details: { state: c.state },
          });
          // The heads' alert (an in-app notification).
          await addressNotice(tx, 'technical_failure', heads, institution.id, id);
        });
        deps.log.info({ consultationId: id, heads: heads.length }, 'technical failure reported before the start');
        await deps.rooms?.technicalFailure(id);
        const notifier = deps.notifier;
        notifier?.background('technical_failure', id, () => notifier.sendTechnicalFailure(id, null));
      }
      return { consultationId: id, reportedAt: reportedAt.toISOString() };
    },
  }),
];
