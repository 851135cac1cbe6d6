// POST /api/consultations/:id/participants/:pid/revoke-link: staff take a participant's link
// back (sent to a wrong address, a phone lost, a family that asked). From then on the link
// page says «ссылка отозвана», joining answers `link_revoked`, and a holder who is in the room
// now is taken out of it at once.
import { ParticipantParams, RevokedLink } from '@dp/protocol';
import { audit } from './audit.ts';
import { institutionOfConsultation, staffOfConsultation } from './consultations.ts';
import { notFound } from './errors.ts';
import { defineRoute } from './route.ts';

export const linkRoutes = [
  defineRoute({
    name: 'consultations.revoke_link',
    method: 'post',
    path: '/consultations/:consultationId/participants/:participantId/revoke-link',
    summary: "Revokes a participant's join link (for good; the participant is taken out of an open room)",
    tag: 'consultations',
    params: ParticipantParams,
    response: RevokedLink,
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, institution, deps, actor }) => {
      const found = await deps.prisma.participant.findFirst({
        where: { id: params.participantId, consultationId: params.consultationId },
        select: { id: true, linkRevokedAt: true },
      });
      if (!found) throw notFound('participant');
      const revokedAt = found.linkRevokedAt ?? deps.now();
      if (!found.linkRevokedAt) {
        await deps.prisma.$transaction(async (tx) => {
          await tx.participant.update({ where: { id: found.id }, data: { linkRevokedAt: revokedAt } });
          await audit(tx, actor, {
            action: 'consultation.link_revoked',
            targetType: 'participant',
            targetId: found.id,
            institutionId: institution.id,
            details: { consultationId: params.consultationId },
          });
        });
      }
      await deps.rooms?.revoked(params.consultationId, found.id);
      return { participantId: found.id, revokedAt: revokedAt.toISOString() };
    },
  }),
];
