import { z } from 'zod';
import { Consultation } from './consultations.ts';
import { Instant, LocalDate, Uuid } from './common.ts';

// «Специалист заболел»: the head hands a specialist's whole day to colleagues of the same
// profession, or moves it to another date at the same times — all at once or not at all.
// `preview: true` answers what would happen without changing anything.

export const AbsenceMode = z.enum(['reassign', 'move']);
export type AbsenceMode = z.infer<typeof AbsenceMode>;

export const SpecialistAbsenceBody = z
  .object({
    specialistId: Uuid,
    /** The day the specialist is away (the institution's local date). */
    date: LocalDate,
    mode: AbsenceMode,
    /** `move`: the date the consultations go to, at the same local times. */
    toDate: LocalDate.optional(),
    /** Only say what would happen. */
    preview: z.boolean().default(false),
  })
  .refine((b) => b.mode !== 'move' || b.toDate !== undefined, { path: ['toDate'], message: 'required to move' })
  .refine((b) => b.toDate === undefined || b.toDate !== b.date, { path: ['toDate'], message: 'another day than the absence' });
export type SpecialistAbsenceBody = z.infer<typeof SpecialistAbsenceBody>;

/** Why one consultation cannot be handed over: nobody of the profession is free, or the new time breaks the timetable's rules. */
export const AbsenceProblem = z.enum(['nobody_free', 'time_not_free']);
export type AbsenceProblem = z.infer<typeof AbsenceProblem>;

export const AbsenceItem = z.object({
  /** As it is before the change. */
  consultation: Consultation,
  /** `reassign`: who takes it (null: nobody). */
  newSpecialist: z.object({ id: Uuid, displayName: z.string() }).nullable(),
  /** `move`: its new start. */
  newStart: Instant.nullable(),
  problem: AbsenceProblem.nullable(),
  /** The rules' codes when the time does not fit (`time_not_free`). */
  violations: z.array(z.string()),
});
export type AbsenceItem = z.infer<typeof AbsenceItem>;

export const SpecialistAbsenceResult = z
  .object({
    /** False for a preview. */
    applied: z.boolean(),
    items: z.array(AbsenceItem),
  })
  .meta({ id: 'SpecialistAbsenceResult' });
export type SpecialistAbsenceResult = z.infer<typeof SpecialistAbsenceResult>;
