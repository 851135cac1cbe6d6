// POST /api/consultations/:id/technical-failure: the specialist's equipment failed its
// pre-check and cannot be fixed (the seed rule: report to the head, who may set a new date;
// the client is told at once). The lifecycle event `technical_failure`: the consultation is
// `failed` — it could not take place for technical reasons. Recorded as a failed pre-check, the
// heads of the institution get an in-app alert (and the dashboard's «pre-check failed»), an open
// room closes with that reason, and the client's link page says so until the head moves the
// consultation (back to `planned`) or cancels it; the client is also e-mailed when it left an address.
import { contract, mayReportFailure } from '@dp/protocol';
import { audit } from './audit.ts';
import { institutionOfConsultation, staffOfConsultation } from '../consultations/consultation-records.ts';
import { applyEvent, LifecycleError } from '../consultations/lifecycle-writer.ts';
import { lifecycleHttpError, lifecycleStep } from './errors.ts';
import { defineRoute, routeTable } from './route.ts';
import { addressNotice, headsOf } from '../timetable/staff-notices.ts';

export const technicalFailureRoutes = routeTable([
  defineRoute(contract['consultations.technical_failure'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, institution, deps, actor }) => {
      const id = params.consultationId;
      const c = await deps.prisma.consultation.findUniqueOrThrow({
        where: { id },
        select: { state: true, technicalFailureAt: true, specialists: { select: { specialistId: true } } },
      });
      // Reporting twice keeps the first report.
      let reportedAt = c.state === 'failed' ? c.technicalFailureAt : null;
      // Only before a client came (the lifecycle's rule): afterwards a failure is the room's, not the pre-check's.
      if (!reportedAt && !mayReportFailure(c.state))
        throw lifecycleHttpError(new LifecycleError('illegal_transition', 'technical_failure', c.state));
      if (!reportedAt) {
        const at = deps.now();
        reportedAt = at;
        const specialists = c.specialists.map((s) => s.specialistId);
        // The failed check is the reporter's when they are one of its specialists.
        const specialistId = actor.id && specialists.includes(actor.id) ? actor.id : specialists[0];
        const heads = await headsOf(deps.prisma, institution.id);
        await deps.prisma.$transaction(async (tx) => {
          await lifecycleStep(applyEvent(tx, id, 'technical_failure', { actorId: actor.id, at }));
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
]);
