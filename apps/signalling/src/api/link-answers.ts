// What a client does on the link page besides looking (no sign-in: the link is the credential,
// limited like links.describe — the link's budget first, then the address's):
//   POST /links/:token/answer         «Не смогу прийти / нужно другое время», kept with the
//                                     consultation, audited, and a notice to its staff and heads;
//   GET  /links/:token/calendar.ics   the consultation for the phone's calendar (text/calendar).
import { createEvent } from 'ics';
import { contract, ProtocolError, type LinkInfo } from '@dp/protocol';
import type { LinkClaims } from '../links/link-token.ts';
import { addressNotice, headsOf } from '../timetable/staff-notices.ts';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import type { HttpContext } from './route.ts';
import { defineRoute, routeTable } from './route.ts';

/**
 * The link checked and its budgets spent, then described (revoked and unknown links refused as
 * on the page): every page a client reaches by its link (answers, calendar, feedback) uses it.
 */
export async function describedLink(
  deps: ApiDeps,
  http: HttpContext,
  token: string,
): Promise<{ claims: LinkClaims; consultation: LinkInfo['consultation'] }> {
  const links = deps.links;
  if (!links) throw new ProtocolError('sfu_unavailable', 'links are not served here');
  const address = http.ip ?? 'unknown';
  let claims: LinkClaims;
  try {
    claims = links.verify(token);
  } catch (e) {
    await deps.budgets?.spend('lookup', address);
    throw e;
  }
  await deps.budgets?.spend('lookup', address, { link: claims.participantId });
  http.setHeader('Cache-Control', 'no-store');
  return { claims, consultation: await links.describe(claims) };
}

/** The topics' words for the calendar entry (the client's language is Russian first). */
const TOPIC_RU: Record<string, string> = {
  family: 'семейные проблемы',
  personal: 'личные проблемы',
  social_maladjustment: 'социальная дезадаптация',
  interpersonal: 'межличностные отношения',
  learning: 'проблемы в обучении',
  crisis: 'кризисная ситуация',
  legal_aid: 'правовая помощь',
};

/** An RFC 5545 text of one consultation: when (UTC), with whom, where to go (the link itself). */
export function consultationIcs(input: {
  uid: string;
  start: Date;
  durationMinutes: number;
  url: string;
  about: LinkInfo['consultation'];
}): string {
  const { about } = input;
  const withWhom = about.specialist ? `${about.specialist.name}${about.specialist.title ? `, ${about.specialist.title}` : ''}` : null;
  const lines = [
    withWhom ? `Специалист: ${withWhom}` : null,
    about.topic ? `Тема: ${TOPIC_RU[about.topic] ?? about.topic}` : null,
    `Войти по ссылке: ${input.url}`,
    about.institutionPhone ? `Телефон учреждения: ${about.institutionPhone}` : null,
  ].filter((l): l is string => l !== null);
  const { error, value } = createEvent({
    uid: `${input.uid}@distpriem`,
    productId: 'distpriem/ics',
    start: input.start.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: input.durationMinutes },
    title: `Консультация по видеосвязи — ${about.institutionName}`,
    description: lines.join('\n'),
    location: about.institutionName,
    url: input.url,
    status: 'CONFIRMED',
    alarms: [{ action: 'display', description: 'Консультация по видеосвязи', trigger: { minutes: 30, before: true } }],
  });
  if (error || !value) throw error ?? new Error('ics: no calendar text');
  return value;
}

export const linkAnswerRoutes = routeTable([
  defineRoute(contract['links.answer'], {
    handler: async ({ params, body, deps, http }) => {
      const { claims, consultation } = await describedLink(deps, http, params.token);
      // Only for what may still happen: a past or cancelled consultation has nothing to answer.
      if (consultation.status !== 'upcoming' && consultation.status !== 'open' && consultation.status !== 'technical_failure') {
        throw new HttpError(409, 'conflict', 'the consultation is over or cancelled');
      }
      const at = deps.now();
      await deps.prisma.$transaction(async (tx) => {
        const c = await tx.consultation.findUniqueOrThrow({
          where: { id: claims.consultationId },
          select: { institutionId: true, createdById: true, specialists: { select: { specialistId: true } } },
        });
        const row = await tx.clientAnswer.create({
          data: {
            consultationId: claims.consultationId,
            participantId: claims.participantId,
            kind: body.kind,
            note: body.note ?? null,
            createdAt: at,
          },
          select: { id: true },
        });
        // The client's own words stay in the row: the audit event holds the kind only.
        await audit(
          tx,
          { type: 'client', id: claims.participantId, ip: http.ip },
          {
            action: 'consultation.client_answered',
            targetType: 'consultation',
            targetId: claims.consultationId,
            institutionId: c.institutionId,
            details: { kind: body.kind, answerId: row.id, withNote: body.note !== undefined },
          },
        );
        // The bell of its specialists, whoever booked it and the heads: phone the family back.
        const recipients = new Set([
          ...c.specialists.map((s) => s.specialistId),
          ...(c.createdById ? [c.createdById] : []),
          ...(await headsOf(tx, c.institutionId)),
        ]);
        await addressNotice(tx, 'cannot_come', [...recipients], c.institutionId, claims.consultationId);
      });
      return { kind: body.kind, at: at.toISOString() };
    },
  }),

  defineRoute(contract['links.calendar'], {
    handler: async ({ params, deps, http }) => {
      const { claims, consultation } = await describedLink(deps, http, params.token);
      const c = await deps.prisma.consultation.findUniqueOrThrow({
        where: { id: claims.consultationId },
        select: { start: true, durationMinutes: true },
      });
      http.setHeader('Content-Disposition', 'attachment; filename="consultation.ics"');
      return consultationIcs({
        uid: claims.consultationId,
        start: c.start,
        durationMinutes: c.durationMinutes,
        url: `${deps.publicUrl.replace(/\/+$/, '')}/join/${params.token}`,
        about: consultation,
      });
    },
  }),
]);
