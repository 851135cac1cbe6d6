import { z } from 'zod';
import { ConsultationState } from '../lifecycle.ts';
import { DurationMinutes, INT4_MAX, Instant, Uuid, instantRange, text } from './common.ts';
import { ClientAnswer } from './client-answers.ts';
import { PersonListText } from './participant-list.ts';

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

/**
 * The form of distance consultation (seed 003 § 2.3, 3.3): online (a room, video or audio);
 * by telephone (no room: holds the specialist's time without a pre-check window; the outcome
 * is recorded by the specialist); by e-mail (answered in the product; holds no time).
 */
export const ConsultationForm = z.enum(['online', 'phone', 'email']);
export type ConsultationForm = z.infer<typeof ConsultationForm>;

/** The consultation journal's topics. */
export const ConsultationTopic = z.enum(['family', 'personal', 'social_maladjustment', 'interpersonal', 'learning', 'crisis', 'legal_aid']);
export type ConsultationTopic = z.infer<typeof ConsultationTopic>;

/**
 * Why a consultation was moved or cancelled, in words for the client (the e-mail, the link
 * page). The free-text reason or note next to it stays for staff only.
 */
export const ChangeReason = z.enum(['specialist_ill', 'client_request', 'technical', 'institution', 'other']);
export type ChangeReason = z.infer<typeof ChangeReason>;

/** The client-facing words of each category (e-mails, the link page). */
export const CHANGE_REASON_TEXT: Record<ChangeReason, { ru: string; en: string }> = {
  specialist_ill: { ru: 'по болезни специалиста', en: 'the specialist is ill' },
  client_request: { ru: 'по вашей просьбе', en: 'at your request' },
  technical: { ru: 'технические причины', en: 'technical reasons' },
  institution: { ru: 'по решению учреждения', en: "the institution's decision" },
  other: { ru: 'другая причина', en: 'another reason' },
};

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
    form: ConsultationForm,
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
    /** The category of the last move or cancellation (told to the client); null when none was given. */
    changeReason: ChangeReason.nullable(),
    rescheduledFromId: Uuid.nullable(),
    /** The specialist reported a technical failure before the start (state `failed`); cleared when it is moved to a new time. */
    technicalFailureAt: Instant.nullable(),
    /** Actual times: the first client came in; the room was ended (by a member of staff or the limit). */
    startedAt: Instant.nullable(),
    endedAt: Instant.nullable(),
    /** «Групповая консультация»: every attendee of this webinar may speak without raising a hand. */
    openFloor: z.boolean(),
    /** The dyad it was planned for (dyads.create). */
    dyadId: Uuid.nullable(),
    /** Booked together with others as a series (the same topic at several dates). */
    seriesId: Uuid.nullable(),
    /** Send it back with reschedule and cancel: a stale one answers 409. */
    version: z.number().int(),
    specialistIds: z.array(Uuid),
    participants: z.array(Participant),
    /** Whether the reader hands the clients' links over (the head, the booker, the responsible social worker). */
    handsOverLinks: z.boolean(),
    /** The clients' «не смогу прийти / нужно другое время» answers from the link page, oldest first. */
    clientAnswers: z.array(ClientAnswer),
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
  /** Absent for an anonymous client (or taken from the registry's client). */
  displayName: text(200).optional(),
  email: z.email().max(320).optional(),
  /** A client of the institution's registry: name and e-mail come from it when not given. */
  clientId: Uuid.optional(),
});
export type ClientInput = z.infer<typeof ClientInput>;

/** How many clients a consultation of each kind may have (a webinar's audience; a dyad's pair). */
export const MAX_CLIENTS: Record<ConsultationKind, number> = { one_to_one: 1, dyad: 2, webinar: 500 };

/** What a booking says besides its time (one consultation, or each of a series). */
const BookingFields = z.object({
  kind: ConsultationKind,
  direction: ConsultationDirection,
  mode: ConsultationMode,
  /**
   * Online (default), by telephone or by e-mail; only a one_to_one may be by telephone or e-mail.
   * By e-mail it holds no time: `start` is ignored (the consultation is dated when it is booked).
   */
  form: ConsultationForm.default('online'),
  /** Staff of this institution; each must have the time free in an approved schedule. */
  specialistIds: z.array(Uuid).min(1).max(10),
  durationMinutes: DurationMinutes,
  topic: ConsultationTopic.optional(),
  note: text(2000).optional(),
  /** The journal request this consultation answers (it becomes `scheduled`). */
  requestId: Uuid.optional(),
  clients: z.array(ClientInput).max(MAX_CLIENTS.webinar).default([]),
  /** A webinar's pasted list (PersonListText): added to `clients`. */
  emailList: PersonListText.optional(),
  /** «Групповая консультация»: a webinar where every attendee may speak without raising a hand. */
  openFloor: z.boolean().default(false),
  /** The dyad (dyads.create) this consultation is planned for; its two clients come with it. */
  dyadId: Uuid.optional(),
});

type BookingFields = z.infer<typeof BookingFields>;

function checkBooking(v: BookingFields, ctx: z.RefinementCtx): void {
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
  const clients = v.clients.length + (v.emailList?.length ?? 0);
  if (v.kind === 'dyad' && v.dyadId === undefined && clients !== 2) {
    ctx.addIssue({ code: 'custom', path: ['clients'], message: 'a dyad has exactly two clients' });
  }
  if (v.kind === 'dyad' && v.dyadId !== undefined && clients !== 0) {
    ctx.addIssue({ code: 'custom', path: ['clients'], message: "a dyad's clients come with the dyad" });
  }
  if (clients > MAX_CLIENTS[v.kind]) {
    ctx.addIssue({ code: 'custom', path: ['clients'], message: `at most ${MAX_CLIENTS[v.kind]} clients for a ${v.kind}` });
  }
  if (v.openFloor && v.kind !== 'webinar') {
    ctx.addIssue({ code: 'custom', path: ['openFloor'], message: 'only a webinar is a group consultation' });
  }
  if (v.form !== 'online' && v.kind !== 'one_to_one') {
    ctx.addIssue({ code: 'custom', path: ['form'], message: 'only a one_to_one consultation is by telephone or e-mail' });
  }
  if (v.dyadId !== undefined && v.kind !== 'dyad') {
    ctx.addIssue({ code: 'custom', path: ['dyadId'], message: 'only a dyad consultation belongs to a dyad' });
  }
}

export const CreateConsultationBody = BookingFields.extend({ start: Instant }).superRefine(checkBooking);
export type CreateConsultationBody = z.infer<typeof CreateConsultationBody>;

export const RescheduleConsultationBody = z.object({
  start: Instant,
  /** Default: unchanged. */
  durationMinutes: DurationMinutes.optional(),
  version: z.number().int().min(0).max(INT4_MAX),
  /** Told to the client when given. */
  reasonCategory: ChangeReason.optional(),
});
export type RescheduleConsultationBody = z.infer<typeof RescheduleConsultationBody>;

export const CancelConsultationBody = z.object({
  /** Told to the client (e-mail, link page). */
  reasonCategory: ChangeReason,
  /** Staff only (optional): free text that may name people; never sent to the client. */
  reason: text(500).optional(),
  version: z.number().int().min(0).max(INT4_MAX),
});
export type CancelConsultationBody = z.infer<typeof CancelConsultationBody>;

/** The most dates of one series (the same topic at several dates, booked in one go). */
export const MAX_SERIES = 20;

/** A series: the same booking at each of `starts`, all or nothing (each date checked against the timetable). */
export const CreateConsultationSeriesBody = BookingFields.extend({
  starts: z.array(Instant).min(1).max(MAX_SERIES),
}).superRefine((v, ctx) => {
  checkBooking(v, ctx);
  if (new Set(v.starts.map((s) => Date.parse(s))).size !== v.starts.length) {
    ctx.addIssue({ code: 'custom', path: ['starts'], message: 'each date once' });
  }
});
export type CreateConsultationSeriesBody = z.infer<typeof CreateConsultationSeriesBody>;

/** «Добавить участников»: clients (from the registry or by name and e-mail) and/or a pasted list; each gets an invitation. */
export const AddParticipantsBody = z
  .object({
    clients: z.array(ClientInput).max(MAX_CLIENTS.webinar).default([]),
    emailList: PersonListText.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.clients.length + (v.emailList?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['clients'], message: 'nobody to add' });
    }
  });
export type AddParticipantsBody = z.infer<typeof AddParticipantsBody>;

export const ParticipantsAdded = z.object({
  /** The new participants' ids (their invitations go out in the background). */
  added: z.array(Uuid),
  consultation: z.lazy(() => Consultation),
});
export type ParticipantsAdded = z.infer<typeof ParticipantsAdded>;
