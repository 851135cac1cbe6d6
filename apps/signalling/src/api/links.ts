// A client's join link, for those who hand it over, and taking it back.
//
// GET  …/participants/:pid/link         shows a client participant's current link (audited).
// POST …/participants/:pid/link         «Выдать новую ссылку»: a new generation; the old link
//                                       reads as revoked and its holder leaves an open room.
// POST …/participants/:pid/revoke-link  takes the link back for good (sent to a wrong address,
//                                       a phone lost, a family that asked).
//
// A link is a capability: whoever holds it enters the room as that client. So it is shown only
// to those who hand it over — the staff member who booked the consultation, the social worker
// responsible for its request, and the institution's head — never to everyone who may read
// the consultation, and never for a member of staff (staff enter rooms signed in). The matrix
// grants the routes to head, specialist (own) and social worker; the handler narrows them to
// the booker and the responsible social worker, which the matrix cannot express.
import { contract, isLead, ParticipantLinkView, type RoomRole } from '@dp/protocol';
import { linkExpiresAt } from '../links/link-token.ts';
import { audit } from './audit.ts';
import { handsOverLinks } from './link-keepers.ts';
import { institutionOfConsultation, staffOfConsultation } from '../consultations/consultation-records.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, notFound } from './errors.ts';
import type { Actor } from './actor.ts';
import { defineRoute, routeTable, type RouteAccess } from './route.ts';

/** The client participant whose link is asked for, after checking that the caller hands links over. */
async function clientForHandOver(
  deps: ApiDeps,
  params: { consultationId: string; participantId: string },
  access: RouteAccess,
  actor: Actor,
  institutionId: string,
  method: 'GET' | 'POST',
) {
  const found = await deps.prisma.participant.findFirst({
    where: { id: params.participantId, consultationId: params.consultationId },
    select: {
      id: true,
      role: true,
      linkRevokedAt: true,
      linkGeneration: true,
      consultation: { select: { start: true, createdById: true, request: { select: { responsibleSpecialistId: true } } } },
    },
  });
  // An unknown participant: the head reads "not found", anyone else the same refusal as always.
  if (!handsOverLinks(access.caller!.user, found?.consultation ?? { createdById: null, request: null })) {
    // Refused like the router refuses (an audit event, nothing of the request in it). An
    // unknown participant of a readable consultation is refused the same way: nothing learnt.
    await audit(deps.prisma, actor, {
      action: 'access.denied',
      targetType: 'route',
      targetId: method === 'GET' ? 'consultations.show_link' : 'consultations.rotate_link',
      institutionId,
      details: { status: 403, reason: 'not_link_keeper', method },
    });
    throw new HttpError(403, 'forbidden', 'only the staff member who booked, the responsible social worker and the head hand links over');
  }
  if (!found) throw notFound('participant');
  if (isLead(found.role)) throw notFound('client participant', { participantId: 'staff have no link: they enter the room signed in' });
  if (found.linkRevokedAt) {
    throw new HttpError(409, 'conflict', 'this link was revoked for good (revoked by staff, or the participant was removed)');
  }
  return found;
}

function linkView(
  deps: ApiDeps,
  consultationId: string,
  p: { id: string; role: RoomRole; linkGeneration: number; consultation: { start: Date } },
): ParticipantLinkView {
  const token = deps.signLink({
    consultationId,
    participantId: p.id,
    role: p.role,
    generation: p.linkGeneration,
    expiresAt: linkExpiresAt(p.consultation.start),
  });
  return { participantId: p.id, url: `${deps.publicUrl.replace(/\/+$/, '')}/join/${token}`, generation: p.linkGeneration };
}

export const linkRoutes = routeTable([
  defineRoute(contract['consultations.show_link'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, institution, deps, actor, access }) => {
      const p = await clientForHandOver(deps, params, access, actor, institution.id, 'GET');
      // Who saw which participant's link, and which generation — never the token.
      await audit(deps.prisma, actor, {
        action: 'consultation.link_shown',
        targetType: 'participant',
        targetId: p.id,
        institutionId: institution.id,
        details: { consultationId: params.consultationId, generation: p.linkGeneration },
      });
      return linkView(deps, params.consultationId, p);
    },
  }),

  defineRoute(contract['consultations.rotate_link'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, institution, deps, actor, access }) => {
      const p = await clientForHandOver(deps, params, access, actor, institution.id, 'POST');
      const generation = await deps.prisma.$transaction(async (tx) => {
        // Not revoked in the meantime: revoking is for good, a new link must not undo it.
        const { count } = await tx.participant.updateMany({
          where: { id: p.id, linkRevokedAt: null },
          data: { linkGeneration: { increment: 1 } },
        });
        if (count !== 1) throw new HttpError(409, 'conflict', 'this link was revoked for good');
        const row = await tx.participant.findUniqueOrThrow({ where: { id: p.id }, select: { linkGeneration: true } });
        await audit(tx, actor, {
          action: 'consultation.link_rotated',
          targetType: 'participant',
          targetId: p.id,
          institutionId: institution.id,
          details: { consultationId: params.consultationId, generation: row.linkGeneration },
        });
        return row.linkGeneration;
      });
      // The old link's holder, if in the room now, leaves at once (the new link may enter).
      await deps.rooms?.linkRotated(params.consultationId, p.id);
      return linkView(deps, params.consultationId, { ...p, linkGeneration: generation });
    },
  }),

  defineRoute(contract['consultations.revoke_link'], {
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
]);
