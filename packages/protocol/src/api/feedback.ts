import { z } from 'zod';
import { Instant, Uuid, plainText } from './common.ts';

// The client's feedback form (анкета, DOMAIN.md «Records»): seven criteria 1–5, more practice /
// more theory / enough, impressions and wishes. Sent without signing in (the link is the
// credential: feedback.get / feedback.save); one answer per participant, editable for 7 days
// from the first one. Staff read the answers of a consultation without any name.

// The criteria's names, the 7 days and the texts' limit live in the zod-free feedback-limits.ts (the
// feedback page a family opens imports them without the schemas).
import { FEEDBACK_TEXT_MAX } from '../feedback-limits.ts';
export { FEEDBACK_CRITERIA, FEEDBACK_EDIT_DAYS, FEEDBACK_TEXT_MAX, type FeedbackCriterion } from '../feedback-limits.ts';

/** One criterion: a whole number 1 (worst) … 5 (best). */
export const FeedbackScore = z.number().int().min(1).max(5);

export const FeedbackPreference = z.enum(['more_practice', 'more_theory', 'enough']);
export type FeedbackPreference = z.infer<typeof FeedbackPreference>;

/** Optional free text: '' or absent clears it. */
const feedbackText = plainText(FEEDBACK_TEXT_MAX).nullable().optional();

/** What the client sends (every criterion is required; preference and texts are optional). */
export const FeedbackBody = z.object({
  quality: FeedbackScore,
  topicMatch: FeedbackScore,
  comfort: FeedbackScore,
  clarity: FeedbackScore,
  usefulness: FeedbackScore,
  stateImproved: FeedbackScore,
  specialistWork: FeedbackScore,
  preference: FeedbackPreference.nullable().optional(),
  impressions: feedbackText,
  wishes: feedbackText,
});
export type FeedbackBody = z.infer<typeof FeedbackBody>;

/** An answer as stored (no participant, no name). */
export const FeedbackAnswer = z
  .object({
    quality: FeedbackScore,
    topicMatch: FeedbackScore,
    comfort: FeedbackScore,
    clarity: FeedbackScore,
    usefulness: FeedbackScore,
    stateImproved: FeedbackScore,
    specialistWork: FeedbackScore,
    preference: FeedbackPreference.nullable(),
    impressions: z.string().nullable(),
    wishes: z.string().nullable(),
  })
  .meta({ id: 'FeedbackAnswer' });
export type FeedbackAnswer = z.infer<typeof FeedbackAnswer>;

/**
 * Whether the form can be filled: `open` once the consultation ended; `not_yet` before;
 * `no_show`, `cancelled`, `failed` when it did not take place; `closed` when the 7 days after
 * the first answer are over (the answer is still shown).
 */
export const FeedbackStatus = z.enum(['open', 'not_yet', 'no_show', 'cancelled', 'failed', 'closed']);
export type FeedbackStatus = z.infer<typeof FeedbackStatus>;

/** GET /links/:token/feedback — the form's state for this link's participant (nothing of any client). */
export const FeedbackForm = z.object({
  status: FeedbackStatus,
  /** The consultation's planned start. */
  startsAt: Instant,
  /** The institution's IANA time zone: dates are shown as the institution's. */
  timeZone: z.string(),
  institutionName: z.string(),
  /** The (first) specialist's name and job title; null for none. */
  specialist: z.object({ name: z.string(), title: z.string().nullable() }).nullable(),
  /** This participant's answer (whichever of its links sent it); null before the first. */
  answer: FeedbackAnswer.nullable(),
  /** Until when the answer may be changed (7 days from the first answer); null before the first. */
  editableUntil: Instant.nullable(),
});
export type FeedbackForm = z.infer<typeof FeedbackForm>;

/** What staff read for one consultation: the answers without names, oldest first. */
export const ConsultationFeedback = z
  .object({
    consultationId: Uuid,
    answers: z.array(FeedbackAnswer.extend({ answeredAt: Instant })),
  })
  .meta({ id: 'ConsultationFeedback' });
export type ConsultationFeedback = z.infer<typeof ConsultationFeedback>;
