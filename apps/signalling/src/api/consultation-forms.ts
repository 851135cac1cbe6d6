// The telephone and e-mail forms of distance consultation (seed 003 § 2.3, 3.3).
//  - By telephone: no room. From its booked start the specialist records the outcome —
//    «Состоялась» (ended; started_at = the outcome's time minus the actual duration) or
//    «Не дозвонились» (no_show) — through the lifecycle writer.
//  - By e-mail: no time held. The specialist writes the answer; it goes out over SMTP to the
//    client's address and is kept (email_answers) with the request; once sent the consultation
//    is ended and the request completed. The body is personal data: never logged or audited.
import type { EmailAnswer, StaffUser } from '@dp/db';
import { contract, type EmailAnswerView } from '@dp/protocol';
import { institutionOfConsultation, loadConsultationView, staffOfConsultation } from '../consultations/consultation-records.ts';
import { applyEvent } from '../consultations/lifecycle-writer.ts';
import { requestStatusData } from '../journal/request-status.ts';
import { emailAnswerMessage } from '../notify/templates.ts';
import { audit } from './audit.ts';
import { HttpError, lifecycleStep } from './errors.ts';
import { defineRoute, routeTable } from './route.ts';

const MINUTE = 60_000;

const conflict = (message: string, details?: Record<string, string>) => new HttpError(409, 'conflict', message, details);

function answerView(a: EmailAnswer & { author: Pick<StaffUser, 'displayName'> }): EmailAnswerView {
  return {
    id: a.id,
    consultationId: a.consultationId,
    requestId: a.requestId,
    toAddress: a.toAddress,
    body: a.body,
    status: a.status,
    sentAt: a.sentAt?.toISOString() ?? null,
    authorId: a.authorId,
    authorName: a.author.displayName,
    createdAt: a.createdAt.toISOString(),
  };
}

export const consultationFormRoutes = routeTable([
  defineRoute(contract['consultations.phone_outcome'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, body, institution, deps, actor, access }) => {
      const id = params.consultationId;
      const c = await deps.prisma.consultation.findUniqueOrThrow({ where: { id }, select: { form: true, start: true, state: true } });
      if (c.form !== 'phone') throw conflict('not a consultation by telephone', { form: c.form });
      const at = deps.now();
      if (at.getTime() < c.start.getTime()) throw conflict('the booked time has not come yet', { start: c.start.toISOString() });
      const held = body.outcome === 'held';
      await deps.prisma.$transaction(async (tx) => {
        await lifecycleStep(
          applyEvent(tx, id, held ? 'held_by_phone' : 'not_reached_by_phone', {
            actorId: actor.id,
            at,
            ...(held ? { data: { startedAt: new Date(at.getTime() - body.actualMinutes! * MINUTE) } } : {}),
          }),
        );
        await audit(tx, actor, {
          action: 'consultation.phone_outcome',
          targetType: 'consultation',
          targetId: id,
          institutionId: institution.id,
          details: { outcome: body.outcome, ...(held ? { actualMinutes: body.actualMinutes } : {}) },
        });
      });
      return loadConsultationView(deps.prisma, id, access.caller?.user ?? null);
    },
  }),

  defineRoute(contract['consultations.email_answer'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, body, institution, deps, actor }) => {
      const id = params.consultationId;
      const c = await deps.prisma.consultation.findUniqueOrThrow({
        where: { id },
        select: {
          form: true,
          state: true,
          requestId: true,
          request: { select: { year: true, number: true } },
          participants: { where: { staffUserId: null }, select: { email: true, displayName: true }, orderBy: { createdAt: 'asc' } },
        },
      });
      if (c.form !== 'email') throw conflict('not a consultation by e-mail', { form: c.form });
      if (c.state !== 'planned') throw conflict('the consultation is answered or over', { state: c.state });
      const client = c.participants.find((p) => p.email);
      if (!client?.email) throw conflict('the client has no e-mail address');
      if (!deps.notifier) throw conflict('e-mail (SMTP) is not configured on this server');
      const message = emailAnswerMessage({
        institutionName: institution.name,
        displayName: client.displayName,
        requestNumber: c.request ? `${c.request.number}/${c.request.year}` : null,
        body: body.body,
      });
      const sent = await deps.notifier.sendMessage(client.email, message);
      const status = sent.status === 'sent' ? 'sent' : 'failed';
      const answer = await deps.prisma.$transaction(async (tx) => {
        const row = await tx.emailAnswer.create({
          data: {
            consultationId: id,
            requestId: c.requestId,
            toAddress: client.email!,
            body: body.body,
            status,
            sentAt: sent.sentAt,
            authorId: actor.id!,
          },
          include: { author: { select: { displayName: true } } },
        });
        if (status === 'sent') {
          const at = sent.sentAt ?? deps.now();
          await lifecycleStep(applyEvent(tx, id, 'answered_by_email', { actorId: actor.id, at }));
          if (c.requestId) {
            // Decided when the answer went out (the notifier's business clock).
            await tx.request.updateMany({
              where: { id: c.requestId, status: { in: ['new', 'assigned', 'scheduled'] } },
              data: requestStatusData('completed', at),
            });
          }
        }
        // Ids and the outcome only: the text and the address are the record, not the audit's.
        await audit(tx, actor, {
          action: 'consultation.email_answer',
          targetType: 'consultation',
          targetId: id,
          institutionId: institution.id,
          details: { answerId: row.id, status },
        });
        return row;
      });
      deps.log.info({ consultationId: id, answerId: answer.id, status }, 'e-mail answer');
      return answerView(answer);
    },
  }),

  defineRoute(contract['consultations.email_answers'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, deps }) => {
      const rows = await deps.prisma.emailAnswer.findMany({
        where: { consultationId: params.consultationId },
        include: { author: { select: { displayName: true } } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return { answers: rows.map(answerView) };
    },
  }),
]);
