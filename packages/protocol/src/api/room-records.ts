import { z } from 'zod';
import { ChatMessage, RoomRole } from '../room-events.ts';
import { Instant, Uuid, plainText, text } from './common.ts';

// What a room leaves in the consultation's record: the group registry (реестр участников —
// who was there, when, how long, with the host's notes), the chat, and the curator's or
// specialist's private notes (a dyad's plan). Staff only; clients never read these.

export const RegistryEntry = z.object({
  participantId: Uuid,
  role: RoomRole,
  /** The participant's name, or '' for an anonymous client. */
  label: z.string(),
  /** First time let in, and last time out (null while never in / still in). */
  firstJoinedAt: Instant.nullable(),
  lastLeftAt: Instant.nullable(),
  /** Whole minutes in the room over all stays (a stay still open counts up to now). */
  minutesPresent: z.number().int().min(0),
  /** How many times it entered (a reconnect within 30 s continues the same stay). */
  visits: z.number().int().min(0),
  note: z.string().nullable(),
});
export type RegistryEntry = z.infer<typeof RegistryEntry>;

export const Registry = z
  .object({
    consultationId: Uuid,
    kind: z.enum(['one_to_one', 'webinar', 'dyad']),
    start: Instant,
    topic: z.string().nullable(),
    participants: z.array(RegistryEntry),
  })
  .meta({ id: 'Registry' });
export type Registry = z.infer<typeof Registry>;

export const ParticipantParams = z.object({ consultationId: Uuid, participantId: Uuid });
export type ParticipantParams = z.infer<typeof ParticipantParams>;

/** The specialist's report of a technical failure before the start (no free text: the record needs none). */
export const TechnicalFailureBody = z.object({}).strict();
export type TechnicalFailureBody = z.infer<typeof TechnicalFailureBody>;
export const TechnicalFailureReported = z.object({ consultationId: Uuid, reportedAt: z.string() }).meta({ id: 'TechnicalFailureReported' });
export type TechnicalFailureReported = z.infer<typeof TechnicalFailureReported>;

/** A participant's link, revoked. */
export const RevokedLink = z.object({ participantId: Uuid, revokedAt: z.string() }).meta({ id: 'RevokedLink' });
export type RevokedLink = z.infer<typeof RevokedLink>;

/** The host's note for one participant of the registry; '' clears it. */
export const RegistryNoteBody = z.object({ note: plainText(1000) });
export type RegistryNoteBody = z.infer<typeof RegistryNoteBody>;

export const ConsultationNote = z.object({
  id: Uuid,
  authorId: Uuid,
  authorName: z.string(),
  body: z.string(),
  createdAt: Instant,
});
export type ConsultationNote = z.infer<typeof ConsultationNote>;

export const ConsultationNoteList = z.object({ notes: z.array(ConsultationNote) });
export type ConsultationNoteList = z.infer<typeof ConsultationNoteList>;

export const CreateConsultationNoteBody = z.object({ body: text(4000) });
export type CreateConsultationNoteBody = z.infer<typeof CreateConsultationNoteBody>;

/** The room's chat as kept with the consultation, oldest first. */
export const ChatRecord = z.object({ messages: z.array(ChatMessage) });
export type ChatRecord = z.infer<typeof ChatRecord>;
