import { z } from 'zod';
import { DurationMinutesQuery, Instant, endsBeforeStart, LocalDate, LocalMonth, LocalTime, Uuid, instantRange } from './common.ts';

// The specialists' monthly schedule (график консультаций): blocks of local time per day;
// drawn up as a draft, approved by a head or admin; only an approved one offers time.

export const ScheduleStatus = z.enum(['draft', 'approved']);
export type ScheduleStatus = z.infer<typeof ScheduleStatus>;

export const ScheduleBlock = z
  .object({ date: LocalDate, start: LocalTime, end: LocalTime })
  .refine((b) => !endsBeforeStart(b), { path: ['end'], message: 'end must be after start' });
export type ScheduleBlock = z.infer<typeof ScheduleBlock>;

export const ScheduleCorrectionStatus = z.enum(['pending', 'approved', 'rejected']);
export type ScheduleCorrectionStatus = z.infer<typeof ScheduleCorrectionStatus>;

/**
 * A change to an approved month: while `pending`, the approved blocks stay in force (free
 * slots, booking); a head approves it (its blocks replace them) or rejects it.
 */
export const ScheduleCorrection = z
  .object({
    id: Uuid,
    status: ScheduleCorrectionStatus,
    /** The whole month as proposed. */
    blocks: z.array(ScheduleBlock),
    proposedById: Uuid,
    proposedByName: z.string(),
    proposedAt: Instant,
    decidedById: Uuid.nullable(),
    decidedByName: z.string().nullable(),
    decidedAt: Instant.nullable(),
  })
  .meta({ id: 'ScheduleCorrection' });
export type ScheduleCorrection = z.infer<typeof ScheduleCorrection>;

export const MonthSchedule = z
  .object({
    id: Uuid,
    specialistId: Uuid,
    month: LocalMonth,
    status: ScheduleStatus,
    approvedById: Uuid.nullable(),
    /** The approver's name (the last approval: of the month or of a correction). */
    approvedByName: z.string().nullable(),
    approvedAt: Instant.nullable(),
    /** The blocks in force (once approved, they offer time). */
    blocks: z.array(ScheduleBlock),
    /** The correction waiting for a head, if any. */
    correction: ScheduleCorrection.nullable(),
    /** Decided corrections, newest first (at most 20): who approved or rejected which, when. */
    history: z.array(ScheduleCorrection),
    updatedAt: Instant,
  })
  .meta({ id: 'MonthSchedule' });
export type MonthSchedule = z.infer<typeof MonthSchedule>;

export const SpecialistParams = z.object({ institutionId: Uuid, specialistId: Uuid });
export type SpecialistParams = z.infer<typeof SpecialistParams>;

export const ScheduleParams = z.object({ institutionId: Uuid, specialistId: Uuid, month: LocalMonth });
export type ScheduleParams = z.infer<typeof ScheduleParams>;

/**
 * PUT …/schedules/:month: the month's blocks, all of them (dates inside that month). A draft
 * (or a new month) takes them at once; an approved month keeps its blocks and stores these as
 * the pending correction (replacing an earlier pending one). PUT …/urgent (head, admin)
 * changes an approved month at once.
 */
export const PutScheduleBody = z.object({ blocks: z.array(ScheduleBlock).max(400) });
export type PutScheduleBody = z.infer<typeof PutScheduleBody>;

/** POST …/schedules/:month/approve. Until sign-in, the approving head or admin is named in the body. */
/** No fields: the approver is the signed-in head or admin (the session), never named in the body. */
export const ApproveScheduleBody = z.object({}).optional();
export type ApproveScheduleBody = z.infer<typeof ApproveScheduleBody>;

export const FreeSlotsQuery = z
  .object({
    from: Instant,
    to: Instant,
    durationMinutes: DurationMinutesQuery,
    /** Grid of candidate starts from local midnight (default 15). */
    stepMinutes: z.coerce.number().int().min(5).max(60).optional(),
    /** `phone`: starts for a consultation by telephone, which needs no pre-check window (default online). */
    form: z.enum(['online', 'phone']).optional(),
  })
  .superRefine(instantRange(62));
export type FreeSlotsQuery = z.infer<typeof FreeSlotsQuery>;

export const FreeSlots = z
  .object({
    specialistId: Uuid,
    durationMinutes: z.number().int(),
    timeZone: z.string(),
    /** Valid starts in [from, to), ascending, UTC. */
    slots: z.array(Instant),
  })
  .meta({ id: 'FreeSlots' });
export type FreeSlots = z.infer<typeof FreeSlots>;

export const ScheduleSuggestionSource = z.enum(['previous_month', 'working_hours']);
export type ScheduleSuggestionSource = z.infer<typeof ScheduleSuggestionSource>;

/** GET …/schedules/:month/suggestion?source=…: blocks to start from (nothing is saved). */
export const ScheduleSuggestionQuery = z.object({ source: ScheduleSuggestionSource });
export type ScheduleSuggestionQuery = z.infer<typeof ScheduleSuggestionQuery>;

export const ScheduleSuggestion = z
  .object({
    month: LocalMonth,
    source: ScheduleSuggestionSource,
    /** previous_month: the last month's blocks moved onto the same weekdays; working_hours: every working day's hours minus lunch. Days off are left out. */
    blocks: z.array(ScheduleBlock),
  })
  .meta({ id: 'ScheduleSuggestion' });
export type ScheduleSuggestion = z.infer<typeof ScheduleSuggestion>;
