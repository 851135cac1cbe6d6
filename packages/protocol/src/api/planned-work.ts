import { z } from 'zod';
import { ConsultationState } from '../lifecycle.ts';
import { Instant, LocalDate, LocalMonth, Uuid, text } from './common.ts';
import { ConsultationForm } from './consultations.ts';
import { MotivationLevel } from './dyads.ts';
import { Profession } from './staff.ts';

// Planned work (плановый режим, DOMAIN.md): a target group → the client's individual route sheet
// (directions, forms, responsible specialists, how many consultations and how often —
// «продолжительное» in seed 003 § 3.3 is a regular line) → consultations on the timetable →
// the dyad programme's evaluation. A consultation of a client whose registry flags ИППСУ or ИПСР
// counts as a service under that programme: the month's act of services rendered lists them.

export const TargetGroup = z.enum(['disabled_children', 'difficult_life_situation', 'socially_dangerous_situation', 'other']);
export type TargetGroup = z.infer<typeof TargetGroup>;

export const RouteSheetStatus = z.enum(['active', 'closed']);
export type RouteSheetStatus = z.infer<typeof RouteSheetStatus>;

export const RouteFrequency = z.enum(['once', 'weekly', 'biweekly', 'monthly']);
export type RouteFrequency = z.infer<typeof RouteFrequency>;

export const ROUTE_LINES_MAX = 20;
export const ROUTE_PLANNED_MAX = 200;

export const RouteLineInput = z.object({
  profession: Profession,
  form: ConsultationForm,
  /** A specialist of the institution, responsible for this direction. */
  specialistId: Uuid,
  plannedCount: z.number().int().min(1).max(ROUTE_PLANNED_MAX),
  frequency: RouteFrequency,
  note: text(1000).optional(),
});
export type RouteLineInput = z.infer<typeof RouteLineInput>;

function checkDates(v: { startDate?: string | undefined; endDate?: string | undefined }, ctx: z.RefinementCtx): void {
  if (v.startDate !== undefined && v.endDate !== undefined && v.endDate < v.startDate)
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'the end date is before the start date' });
}

export const CreateRouteSheetBody = z
  .object({
    targetGroup: TargetGroup,
    startDate: LocalDate,
    endDate: LocalDate,
    note: text(2000).optional(),
    lines: z.array(RouteLineInput).min(1).max(ROUTE_LINES_MAX),
  })
  .superRefine(checkDates);
export type CreateRouteSheetBody = z.infer<typeof CreateRouteSheetBody>;

export const UpdateRouteSheetBody = z
  .object({
    targetGroup: TargetGroup.optional(),
    startDate: LocalDate.optional(),
    endDate: LocalDate.optional(),
    status: RouteSheetStatus.optional(),
    note: text(2000).nullable().optional(),
    /** The lines as a whole (replaces them). */
    lines: z.array(RouteLineInput).min(1).max(ROUTE_LINES_MAX).optional(),
  })
  .superRefine(checkDates);
export type UpdateRouteSheetBody = z.infer<typeof UpdateRouteSheetBody>;

export const RouteLineConsultation = z.object({ id: Uuid, start: Instant, state: ConsultationState });
export type RouteLineConsultation = z.infer<typeof RouteLineConsultation>;

export const RouteLine = z.object({
  id: Uuid,
  profession: Profession,
  form: ConsultationForm,
  specialist: z.object({ id: Uuid, displayName: z.string() }),
  plannedCount: z.number().int(),
  frequency: RouteFrequency,
  note: z.string().nullable(),
  /** Held (ended) consultations of the line. */
  held: z.number().int(),
  /** Booked and still ahead (planned … live). */
  booked: z.number().int(),
  /** The line's consultations on the timetable within the sheet's dates, oldest first. */
  consultations: z.array(RouteLineConsultation),
});
export type RouteLine = z.infer<typeof RouteLine>;

export const RouteSheet = z
  .object({
    id: Uuid,
    institutionId: Uuid,
    clientId: Uuid,
    targetGroup: TargetGroup,
    startDate: LocalDate,
    endDate: LocalDate,
    status: RouteSheetStatus,
    note: z.string().nullable(),
    lines: z.array(RouteLine),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'RouteSheet' });
export type RouteSheet = z.infer<typeof RouteSheet>;

export const RouteSheetList = z.object({ sheets: z.array(RouteSheet) });
export type RouteSheetList = z.infer<typeof RouteSheetList>;

export const RouteSheetParams = z.object({ institutionId: Uuid, sheetId: Uuid });
export type RouteSheetParams = z.infer<typeof RouteSheetParams>;

// --- the dyad programme's evaluation (итоги программы) -----------------------------------

export const RehabilitationDynamics = z.enum(['improved', 'unchanged', 'worse']);
export type RehabilitationDynamics = z.infer<typeof RehabilitationDynamics>;

export const DyadEvaluationBody = z.object({
  dynamics: RehabilitationDynamics,
  dynamicsNote: text(4000).optional(),
  /** Each family's motivation at the end, in the dyad's member order. */
  motivationEnd: z.tuple([MotivationLevel, MotivationLevel]),
});
export type DyadEvaluationBody = z.infer<typeof DyadEvaluationBody>;

export const DyadEvaluation = z
  .object({
    dyadId: Uuid,
    dynamics: RehabilitationDynamics,
    dynamicsNote: z.string().nullable(),
    motivationStart: z.tuple([MotivationLevel, MotivationLevel]),
    motivationEnd: z.tuple([MotivationLevel, MotivationLevel]),
    evaluatedBy: z.object({ id: Uuid, displayName: z.string() }),
    evaluatedAt: Instant,
  })
  .meta({ id: 'DyadEvaluation' });
export type DyadEvaluation = z.infer<typeof DyadEvaluation>;

export const DyadEvaluationView = z.object({ evaluation: DyadEvaluation.nullable() });
export type DyadEvaluationView = z.infer<typeof DyadEvaluationView>;

// --- the month's act of services rendered (акт оказанных услуг) -------------------------

export const ServiceActQuery = z.object({ month: LocalMonth });
export type ServiceActQuery = z.infer<typeof ServiceActQuery>;

export const ServiceProgramme = z.enum(['ippsu', 'ipsr']);
export type ServiceProgramme = z.infer<typeof ServiceProgramme>;

export const ServiceActRow = z.object({
  consultationId: Uuid,
  start: Instant,
  /** The local date in the institution's zone. */
  date: LocalDate,
  specialist: z.string(),
  profession: Profession.nullable(),
  form: ConsultationForm,
  /** Actual minutes (from the room's start and end), else the planned length. */
  minutes: z.number().int(),
});
export type ServiceActRow = z.infer<typeof ServiceActRow>;

export const ServiceAct = z
  .object({
    clientId: Uuid,
    month: LocalMonth,
    timeZone: z.string(),
    /** The programmes the client has; empty = no consultation counts as a service. */
    programmes: z.array(ServiceProgramme),
    rows: z.array(ServiceActRow),
    totalMinutes: z.number().int(),
  })
  .meta({ id: 'ServiceAct' });
export type ServiceAct = z.infer<typeof ServiceAct>;
