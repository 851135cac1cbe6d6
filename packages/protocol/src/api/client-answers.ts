import { z } from 'zod';
import { Instant, Uuid, text } from './common.ts';

// A client's answer from the link page: «Не смогу прийти» or «Нужно другое время». Stored
// with the consultation (client_answers), shown to staff on the consultation's page, in the
// lists and on the day board; the family is phoned back. Sent without signing in: the link
// is the credential (links.answer).

export const ClientAnswerKind = z.enum(['cannot_come', 'other_time']);
export type ClientAnswerKind = z.infer<typeof ClientAnswerKind>;

/** What the link page sends. */
export const ClientAnswerBody = z.object({
  kind: ClientAnswerKind,
  /** The client's own words (optional). */
  note: text(500).optional(),
});
export type ClientAnswerBody = z.infer<typeof ClientAnswerBody>;

/** An answer as staff read it (the note may carry personal words: staff screens only). */
export const ClientAnswer = z
  .object({
    id: Uuid,
    participantId: Uuid,
    kind: ClientAnswerKind,
    note: z.string().nullable(),
    createdAt: Instant,
  })
  .meta({ id: 'ClientAnswer' });
export type ClientAnswer = z.infer<typeof ClientAnswer>;

/** What the link page is told back (no note: the page shows what it sent). */
export const ClientAnswerReceived = z.object({ kind: ClientAnswerKind, at: Instant });
export type ClientAnswerReceived = z.infer<typeof ClientAnswerReceived>;
