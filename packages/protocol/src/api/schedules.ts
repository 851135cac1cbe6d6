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

export const MonthSchedule = z
  .object({
    id: Uuid,
    specialistId: Uuid,
    month: LocalMonth,
    status: ScheduleStatus,
    approvedById: Uuid.nullable(),
    approvedAt: Instant.nullable(),
    blocks: z.array(ScheduleBlock),
    updatedAt: Instant,
  })
  .meta({ id: 'MonthSchedule' });
export type MonthSchedule = z.infer<typeof MonthSchedule>;

export const SpecialistParams = z.object({ institutionId: Uuid, specialistId: Uuid });
export type SpecialistParams = z.infer<typeof SpecialistParams>;

export const ScheduleParams = z.object({ institutionId: Uuid, specialistId: Uuid, month: LocalMonth });
export type ScheduleParams = z.infer<typeof ScheduleParams>;

/** PUT …/schedules/:month: the month's blocks, all of them (dates inside that month); the schedule goes back to draft. */
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
