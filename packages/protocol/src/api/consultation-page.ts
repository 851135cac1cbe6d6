import { z } from 'zod';
import { Instant, Uuid } from './common.ts';
import { Consultation } from './consultations.ts';

// The staff consultation page (GET /consultations/:consultationId): the consultation as the
// lists read it, plus what only the page shows — the specialists with their job titles, the
// equipment pre-checks, and who entered the room when (joins). Same readers as the lists.

export const ConsultationSpecialistView = z.object({
  id: Uuid,
  displayName: z.string(),
  /** The job title as printed («Педагог-психолог»); null without a specialist profile. */
  title: z.string().nullable(),
});
export type ConsultationSpecialistView = z.infer<typeof ConsultationSpecialistView>;

export const PrecheckView = z.object({
  specialistId: Uuid,
  at: Instant,
  passed: z.boolean(),
  rttMs: z.number().int().nullable(),
  lossPct: z.number().nullable(),
});
export type PrecheckView = z.infer<typeof PrecheckView>;

/** One stay in the room (a reconnect within 30 s continues it); `leftAt` null while inside. */
export const RoomVisitView = z.object({
  participantId: Uuid,
  joinedAt: Instant,
  leftAt: Instant.nullable(),
});
export type RoomVisitView = z.infer<typeof RoomVisitView>;

export const ConsultationDetail = Consultation.extend({
  /** The institution's IANA zone: the page shows times as the institution's. */
  timeZone: z.string(),
  specialists: z.array(ConsultationSpecialistView),
  /** Oldest first (the last one counts). */
  prechecks: z.array(PrecheckView),
  /** Oldest first. */
  visits: z.array(RoomVisitView),
  /**
   * A consultation by telephone: the number to call (the registry client's phone, else the
   * request's contact). Null for the other forms, and never for an admin (no client contacts).
   */
  clientPhone: z.string().nullable(),
}).meta({ id: 'ConsultationDetail' });
export type ConsultationDetail = z.infer<typeof ConsultationDetail>;
