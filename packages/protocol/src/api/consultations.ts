import { z } from 'zod';
import { ConsultationState } from '../lifecycle.ts';
import { DurationMinutes, INT4_MAX, Instant, Uuid, instantRange, text } from './common.ts';

// Consultations: booked against the institution's calendar, the specialists' approved
// schedules and their other consultations (each with its 30-minute pre-check); moved and
// cancelled with optimistic locking on `version`.

export const ConsultationKind = z.enum(['one_to_one', 'webinar', 'dyad']);
export type ConsultationKind = z.infer<typeof ConsultationKind>;

/** The three directions of work (DOMAIN.md). */
export const ConsultationDirection = z.enum(['specialist_client', 'specialist_specialist', 'client_client']);
export type ConsultationDirection = z.infer<typeof ConsultationDirection>;

export const ConsultationMode = z.enum(['planned', 'on_request']);
export type ConsultationMode = z.infer<typeof ConsultationMode>;

/** The consultation journal's topics. */
export const ConsultationTopic = z.enum(['family', 'personal', 'social_maladjustment', 'interpersonal', 'learning', 'crisis', 'legal_aid']);
export type ConsultationTopic = z.infer<typeof ConsultationTopic>;

export const ParticipantRole = z.enum(['client', 'specialist', 'curator', 'host', 'cohost', 'attendee']);
export type ParticipantRole = z.infer<typeof ParticipantRole>;

export const Participant = z.object({
  id: Uuid,
  role: ParticipantRole,
  staffUserId: Uuid.nullable(),
  /** Null for an anonymous client. */
  displayName: z.string().nullable(),
  email: z.string().nullable(),
});
export type Participant = z.infer<typeof Participant>;

/**
 * A client participant's personal join link (a capability: hand it only to that person).
 * No consultation response carries one: only GET …/participants/:participantId/link shows it
 * (to whoever hands it over — the staff member who booked, the social worker responsible for
 * the request, the head; each showing is audited), and POST to the same path issues a new one
 * (`generation` + 1; every earlier link of the participant then reads as revoked).
 */
export const ParticipantLinkView = z
  .object({
    participantId: Uuid,
    url: z.url(),
    /** Starts at 1; each «Выдать новую ссылку» adds one. */
    generation: z.number().int().min(1),
  })
  .meta({ id: 'ParticipantLinkView' });
export type ParticipantLinkView = z.infer<typeof ParticipantLinkView>;

export const Consultation = z
  .object({
    id: Uuid,
    institutionId: Uuid,
    kind: ConsultationKind,
    direction: ConsultationDirection,
    mode: ConsultationMode,
    state: ConsultationState,
    /** Planned start, UTC. */
    start: Instant,
    durationMinutes: z.number().int(),
    /** start + durationMinutes. */
    end: Instant,
    topic: ConsultationTopic.nullable(),
    note: z.string().nullable(),
    requestId: Uuid.nullable(),
    cancelledReason: z.string().nullable(),
    rescheduledFromId: Uuid.nullable(),
    /** The specialist reported a technical failure before the start (state `failed`); cleared when it is moved to a new time. */
    technicalFailureAt: Instant.nullable(),
    /** Actual times: the first client came in; the room was ended (by a member of staff or the limit). */
    startedAt: Instant.nullable(),
    endedAt: Instant.nullable(),
    /** Send it back with reschedule and cancel: a stale one answers 409. */
    version: z.number().int(),
    specialistIds: z.array(Uuid),
    participants: z.array(Participant),
    /** Whether the reader hands the clients' links over (the head, the booker, the responsible social worker). */
    handsOverLinks: z.boolean(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Consultation' });
export type Consultation = z.infer<typeof Consultation>;

export const ConsultationList = z.object({ consultations: z.array(Consultation) });
export type ConsultationList = z.infer<typeof ConsultationList>;

export const ConsultationParams = z.object({ consultationId: Uuid });
export type ConsultationParams = z.infer<typeof ConsultationParams>;

/** Planned starts in [from, to), at most 92 days; optionally one specialist's. */
export const ListConsultationsQuery = z.object({ from: Instant, to: Instant, specialistId: Uuid.optional() }).superRefine(instantRange(92));
export type ListConsultationsQuery = z.infer<typeof ListConsultationsQuery>;

export const ClientInput = z.object({
  /** Absent for an anonymous client. */
  displayName: text(200).optional(),
  email: z.email().max(320).optional(),
});
export type ClientInput = z.infer<typeof ClientInput>;

export const CreateConsultationBody = z
  .object({
    kind: ConsultationKind,
    direction: ConsultationDirection,
    mode: ConsultationMode,
    /** Staff of this institution; each must have the time free in an approved schedule. */
    specialistIds: z.array(Uuid).min(1).max(10),
    start: Instant,
    durationMinutes: DurationMinutes,
    topic: ConsultationTopic.optional(),
    note: text(2000).optional(),
    /** The journal request this consultation answers (it becomes `scheduled`). */
    requestId: Uuid.optional(),
    clients: z.array(ClientInput).max(50).default([]),
  })
  .superRefine((v, ctx) => {
    if (new Set(v.specialistIds).size !== v.specialistIds.length) {
      ctx.addIssue({ code: 'custom', path: ['specialistIds'], message: 'each specialist once' });
    }
    // The kinds and directions of DOMAIN.md: a dyad is two clients under a curator; a
    // one-to-one is one specialist with a client; webinars are held by specialists.
    if ((v.kind === 'dyad') !== (v.direction === 'client_client')) {
      ctx.addIssue({ code: 'custom', path: ['direction'], message: 'a dyad, and only a dyad, is client_client' });
    }
    if (v.kind === 'one_to_one' && v.direction !== 'specialist_client') {
      ctx.addIssue({ code: 'custom', path: ['direction'], message: 'a one_to_one consultation is specialist_client' });
    }
    if (v.kind === 'one_to_one' && v.specialistIds.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['specialistIds'], message: 'a one_to_one consultation has exactly one specialist' });
    }
    if (v.kind === 'dyad' && v.clients.length !== 2) {
      ctx.addIssue({ code: 'custom', path: ['clients'], message: 'a dyad has exactly two clients' });
    }
  });
export type CreateConsultationBody = z.infer<typeof CreateConsultationBody>;

export const RescheduleConsultationBody = z.object({
  start: Instant,
  /** Default: unchanged. */
  durationMinutes: DurationMinutes.optional(),
  version: z.number().int().min(0).max(INT4_MAX),
});
export type RescheduleConsultationBody = z.infer<typeof RescheduleConsultationBody>;

export const CancelConsultationBody = z.object({
  reason: text(500),
  version: z.number().int().min(0).max(INT4_MAX),
});
export type CancelConsultationBody = z.infer<typeof CancelConsultationBody>;
