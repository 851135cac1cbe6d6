// The client's feedback form (анкета) and its staff read:
//   GET /links/:token/feedback               the form's state for the link's participant;
//   PUT /links/:token/feedback               sends or changes the answer (one per participant,
//                                            whichever of its links sends it; 7 days to change it);
//   GET /consultations/:id/feedback          the consultation's answers, without names.
// No sign-in for the first two: the link is the credential, checked and limited like the link
// page (forged → 404, revoked or of an earlier generation → 410, budgets per link and address).
import type { Prisma } from '@dp/db';
import { contract, FEEDBACK_EDIT_DAYS, type FeedbackAnswer, type FeedbackForm, type FeedbackStatus } from '@dp/protocol';
import type { LinkClaims } from '../links/link-token.ts';
import { institutionOfConsultation, staffOfConsultation } from '../consultations/consultation-records.ts';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import { describedLink } from './link-answers.ts';
import { defineRoute, routeTable } from './route.ts';

const DAY = 24 * 3_600_000;
export const FEEDBACK_EDIT_MS = FEEDBACK_EDIT_DAYS * DAY;

const answerSelect = {
  id: true,
  quality: true,
  topicMatch: true,
  comfort: true,
  clarity: true,
  usefulness: true,
  stateImproved: true,
  specialistWork: true,
  preference: true,
  impressions: true,
  wishes: true,
  createdAt: true,
} as const satisfies Prisma.FeedbackAnswerSelect;
type AnswerRow = Prisma.FeedbackAnswerGetPayload<{ select: typeof answerSelect }>;

function answerOf(row: AnswerRow): FeedbackAnswer {
  return {
    quality: row.quality,
    topicMatch: row.topicMatch,
    comfort: row.comfort,
    clarity: row.clarity,
    usefulness: row.usefulness,
    stateImproved: row.stateImproved,
    specialistWork: row.specialistWork,
    preference: row.preference,
    impressions: row.impressions,
    wishes: row.wishes,
  };
}

/** The form's state for the link's participant (the answer is the participant's, not the link's). */
async function formOf(
  deps: ApiDeps,
  db: Prisma.TransactionClient | ApiDeps['prisma'],
  claims: LinkClaims,
  about: { startsAt: string; timeZone: string; institutionName: string; specialist: FeedbackForm['specialist'] },
) {
  const [c, p] = await Promise.all([
    db.consultation.findUniqueOrThrow({ where: { id: claims.consultationId }, select: { state: true, institutionId: true } }),
    db.participant.findUniqueOrThrow({
      where: { id: claims.participantId },
      select: { staffUserId: true, feedbackAnswer: { select: answerSelect } },
    }),
  ]);
  const row = p.feedbackAnswer;
  const editableUntil = row ? new Date(row.createdAt.getTime() + FEEDBACK_EDIT_MS) : null;
  const status: FeedbackStatus =
    c.state === 'ended'
      ? editableUntil && deps.now() > editableUntil
        ? 'closed'
        : 'open'
      : c.state === 'no_show' || c.state === 'cancelled' || c.state === 'failed'
        ? c.state
        : 'not_yet';
  const form: FeedbackForm = {
    status,
    startsAt: about.startsAt,
    timeZone: about.timeZone,
    institutionName: about.institutionName,
    specialist: about.specialist,
    answer: row ? answerOf(row) : null,
    editableUntil: editableUntil?.toISOString() ?? null,
  };
  return { form, institutionId: c.institutionId, staff: p.staffUserId !== null, answerId: row?.id ?? null };
}

export const feedbackRoutes = routeTable([
  defineRoute(contract['feedback.get'], {
    handler: async ({ params, deps, http }) => {
      const { claims, consultation: about } = await describedLink(deps, http, params.token);
      return (await formOf(deps, deps.prisma, claims, about)).form;
    },
  }),

  defineRoute(contract['feedback.save'], {
    handler: async ({ params, body, deps, http }) => {
      const { claims, consultation: about } = await describedLink(deps, http, params.token);
      return deps.prisma.$transaction(async (tx) => {
        // The participant's row locked: two sends at once (two links, two taps) change it one after the other.
        await tx.$queryRaw`SELECT id FROM participants WHERE id = ${claims.participantId}::uuid FOR UPDATE`;
        const before = await formOf(deps, tx, claims, about);
        if (before.staff) throw new HttpError(403, 'forbidden', 'staff participants do not answer the feedback form');
        if (before.form.status === 'closed') {
          throw new HttpError(
            409,
            'conflict',
            `Анкету можно изменить в течение ${FEEDBACK_EDIT_DAYS} дней после первого ответа; этот срок истёк.`,
          );
        }
        if (before.form.status !== 'open') {
          throw new HttpError(409, 'conflict', 'Анкета откроется после завершения консультации.', { status: before.form.status });
        }
        const fields = {
          quality: body.quality,
          topicMatch: body.topicMatch,
          comfort: body.comfort,
          clarity: body.clarity,
          usefulness: body.usefulness,
          stateImproved: body.stateImproved,
          specialistWork: body.specialistWork,
          preference: body.preference ?? null,
          impressions: body.impressions || null,
          wishes: body.wishes || null,
        };
        const now = deps.now();
        const row = await tx.feedbackAnswer.upsert({
          where: { participantId: claims.participantId },
          create: { ...fields, consultationId: claims.consultationId, participantId: claims.participantId, createdAt: now, updatedAt: now },
          update: { ...fields, updatedAt: now },
          select: { id: true },
        });
        // Who answered and whether it was a change — never the answer itself.
        await audit(
          tx,
          { type: 'client', id: claims.participantId, ip: http.ip },
          {
            action: 'consultation.feedback_saved',
            targetType: 'consultation',
            targetId: claims.consultationId,
            institutionId: before.institutionId,
            details: { answerId: row.id, edited: before.answerId !== null },
          },
        );
        return (await formOf(deps, tx, claims, about)).form;
      });
    },
  }),

  defineRoute(contract['feedback.consultation'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, deps }) => {
      const rows = await deps.prisma.feedbackAnswer.findMany({
        where: { consultationId: params.consultationId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: answerSelect,
      });
      return {
        consultationId: params.consultationId,
        answers: rows.map((r) => ({ ...answerOf(r), answeredAt: r.createdAt.toISOString() })),
      };
    },
  }),
]);
