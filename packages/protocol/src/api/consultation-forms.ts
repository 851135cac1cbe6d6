import { z } from 'zod';
import { DurationMinutes, Instant, Uuid } from './common.ts';

// The telephone and e-mail forms of distance consultation (seed 003 § 2.3, 3.3): the outcome
// of a consultation by telephone, and the written answer to a consultation by e-mail.

/** «Состоялась» (with the actual duration) or «Не дозвонились». */
export const PhoneOutcomeBody = z
  .object({
    outcome: z.enum(['held', 'not_reached']),
    /** How long the call actually took (1..60 minutes); required when it was held. */
    actualMinutes: DurationMinutes.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.outcome === 'held' && v.actualMinutes === undefined) {
      ctx.addIssue({ code: 'custom', path: ['actualMinutes'], message: 'how long the call took (1..60 minutes)' });
    }
    if (v.outcome === 'not_reached' && v.actualMinutes !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['actualMinutes'], message: 'no duration when the client was not reached' });
    }
  });
export type PhoneOutcomeBody = z.infer<typeof PhoneOutcomeBody>;

export const EMAIL_ANSWER_MAX = 20_000;

/** The specialist's written answer: sent to the client's address and kept with the request. */
export const EmailAnswerBody = z.object({ body: z.string().trim().min(1).max(EMAIL_ANSWER_MAX) }).strict();
export type EmailAnswerBody = z.infer<typeof EmailAnswerBody>;

export const EmailAnswerStatus = z.enum(['sent', 'failed']);
export type EmailAnswerStatus = z.infer<typeof EmailAnswerStatus>;

/** One answer as kept: the record of a consultation by e-mail (personal data: never logged). */
export const EmailAnswerView = z
  .object({
    id: Uuid,
    consultationId: Uuid,
    requestId: Uuid.nullable(),
    toAddress: z.string(),
    body: z.string(),
    /** `failed`: the SMTP server refused it (or none is configured); it may be sent again. */
    status: EmailAnswerStatus,
    sentAt: Instant.nullable(),
    authorId: Uuid,
    authorName: z.string(),
    createdAt: Instant,
  })
  .meta({ id: 'EmailAnswerView' });
export type EmailAnswerView = z.infer<typeof EmailAnswerView>;

export const EmailAnswerList = z.object({ answers: z.array(EmailAnswerView) }).meta({ id: 'EmailAnswerList' });
export type EmailAnswerList = z.infer<typeof EmailAnswerList>;
