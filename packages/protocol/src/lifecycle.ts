// The consultation's lifecycle: the one list of states, the one table of what moves a
// consultation from one state to another, and the predicates every caller asks. The
// server's writer (apps/signalling/src/consultations/lifecycle-writer.ts) applies this
// table in the database with the from-state in the WHERE clause and records each step;
// the web and the timetable read the same predicates. Pure: the clock is passed in.
import { z } from 'zod';

export const CONSULTATION_STATES = ['planned', 'precheck', 'open', 'live', 'ended', 'no_show', 'failed', 'cancelled'] as const;
export const ConsultationState = z.enum(CONSULTATION_STATES);
export type ConsultationState = z.infer<typeof ConsultationState>;

/** The rules with numbers (DOMAIN.md). */
export const MAX_CONSULTATION_MINUTES = 60;
export const PRECHECK_MINUTES = 30;
export const NO_SHOW_AFTER_MINUTES = 15;
const MINUTE_MS = 60_000;

/**
 * What each state means:
 *  - planned: booked; the pre-check has not begun.
 *  - precheck: T−30..T, the specialist checks the equipment in the real room.
 *  - open: T has come; the room admits clients.
 *  - live: a client (or attendee) has come in; the consultation takes place.
 *  - ended: it took place and is over (ended by the specialist, or by the 60-minute limit).
 *  - no_show: the room was open and no client came (after T+15, or when it closed empty).
 *    A client let in late still turns it `live`.
 *  - failed: it could not take place for technical reasons (the specialist reported a
 *    technical failure). Its time is free; the head moves it to a new time (back to
 *    `planned`, the history keeps the failure for the statistics) or cancels it.
 *  - cancelled: called off; its time is free.
 */
export const STATE_MEANING: Readonly<Record<ConsultationState, string>> = {
  planned: 'booked, the pre-check has not begun',
  precheck: 'the specialist checks the equipment (T−30..T)',
  open: 'the room admits clients',
  live: 'a client is in; the consultation takes place',
  ended: 'took place and is over',
  no_show: 'the room was open and no client came',
  failed: 'could not take place for technical reasons; waits for a new time',
  cancelled: 'called off',
};

/**
 * Events. Each has the states it may happen in and the state it leads to (`null`: the
 * state stays, only the history records the event — the pre-check's verdicts). A
 * consultation by telephone or e-mail has no room: it stays `planned` until its outcome
 * (`held_by_phone`, `not_reached_by_phone`, `answered_by_email`), so the reports read one history.
 */
export const LIFECYCLE = {
  /** A new consultation is booked (no from-state: it did not exist). */
  book: { from: [], to: 'planned' },
  /** Moved to a new time (the history keeps the previous start). */
  reschedule: { from: ['planned', 'precheck', 'failed'], to: 'planned' },
  cancel: { from: ['planned', 'precheck', 'open', 'failed'], to: 'cancelled' },
  /** T−30: the pre-check window begins. */
  precheck_opened: { from: ['planned'], to: 'precheck' },
  precheck_passed: { from: ['planned', 'precheck'], to: null },
  precheck_failed: { from: ['planned', 'precheck'], to: null },
  /** The specialist cannot hold it (equipment): the client is told, the head sets a new time. */
  technical_failure: { from: ['planned', 'precheck', 'open'], to: 'failed' },
  /** T: the room admits clients. */
  room_opened: { from: ['planned', 'precheck'], to: 'open' },
  /** The first client or attendee comes in (a late one after a no-show too). */
  client_joined: { from: ['planned', 'precheck', 'open', 'no_show'], to: 'live' },
  /** T+15 with the room open and no client. */
  no_show: { from: ['open'], to: 'no_show' },
  /** «Завершить консультацию» after a client came. */
  ended_by_staff: { from: ['live'], to: 'ended' },
  /** «Завершить консультацию» when no client came. */
  closed_without_client: { from: ['open', 'no_show'], to: 'no_show' },
  /** The 60-minute limit after a client came. */
  limit_reached: { from: ['live'], to: 'ended' },
  /** The 60-minute limit and no client ever came. */
  limit_without_client: { from: ['planned', 'precheck', 'open', 'no_show'], to: 'no_show' },
  /** By telephone: «Состоялась» (no room, no pre-check: it is `planned` until the outcome). */
  held_by_phone: { from: ['planned'], to: 'ended' },
  /** By telephone: «Не дозвонились». */
  not_reached_by_phone: { from: ['planned'], to: 'no_show' },
  /** By e-mail: the written answer went out to the client. */
  answered_by_email: { from: ['planned'], to: 'ended' },
} as const satisfies Record<string, { from: readonly ConsultationState[]; to: ConsultationState | null }>;

export type LifecycleEvent = keyof typeof LIFECYCLE;

/** The outcomes of a consultation by telephone or e-mail: never steps of an online one's room. */
export const FORM_OUTCOME_EVENTS: ReadonlySet<LifecycleEvent> = new Set<LifecycleEvent>([
  'held_by_phone',
  'not_reached_by_phone',
  'answered_by_email',
]);
export const LIFECYCLE_EVENTS = Object.keys(LIFECYCLE) as LifecycleEvent[];
export const LifecycleEventSchema = z.enum(LIFECYCLE_EVENTS as [LifecycleEvent, ...LifecycleEvent[]]);

/** Whether `event` may happen in `state`. */
export function allows(event: LifecycleEvent, state: ConsultationState): boolean {
  return (LIFECYCLE[event].from as readonly ConsultationState[]).includes(state);
}

/** The state after `event` in `state`, or null when the table refuses it. */
export function nextState(event: LifecycleEvent, state: ConsultationState): ConsultationState | null {
  if (!allows(event, state)) return null;
  return LIFECYCLE[event].to ?? state;
}

/** The event that ends a consultation now (by a staff member or by the limit), given whether a client came. */
export function endingEvent(state: ConsultationState, by: 'staff' | 'limit'): LifecycleEvent {
  if (by === 'staff') return state === 'live' ? 'ended_by_staff' : 'closed_without_client';
  return state === 'live' ? 'limit_reached' : 'limit_without_client';
}

/** Over: no jobs, no moves, nobody admitted (`failed` waits for a new time, so it is not over). */
export const FINISHED_STATES: ReadonlySet<ConsultationState> = new Set<ConsultationState>(['ended', 'no_show', 'cancelled']);
export const isFinished = (state: ConsultationState): boolean => FINISHED_STATES.has(state);

/**
 * States whose time stays taken: everything that will happen, is happening or did happen
 * (so a past hour is never sold twice). `cancelled` and `failed` release it.
 */
export const TIME_HOLDING_STATES: ReadonlySet<ConsultationState> = new Set<ConsultationState>([
  'planned',
  'precheck',
  'open',
  'live',
  'ended',
  'no_show',
]);
export const holdsTime = (state: ConsultationState): boolean => TIME_HOLDING_STATES.has(state);

export const mayMove = (state: ConsultationState): boolean => allows('reschedule', state);
export const mayCancel = (state: ConsultationState): boolean => allows('cancel', state);
export const mayReportFailure = (state: ConsultationState): boolean => allows('technical_failure', state);
/** «Завершить консультацию»: the room is open to clients (whether or not one came). */
export const mayEnd = (state: ConsultationState): boolean => allows('ended_by_staff', state) || allows('closed_without_client', state);

/** The hard end of the room: the planned start + 60 minutes, whatever the booked duration. */
export function hardLimitOf(start: Date): Date {
  return new Date(start.getTime() + MAX_CONSULTATION_MINUTES * MINUTE_MS);
}

/** What admission needs to know: the planned start, the state, and when the room was ended (null while it was not). */
export interface RoomFacts {
  start: Date;
  state: ConsultationState;
  endedAt?: Date | null;
}

export type Admission =
  | { ok: true; endsAt: Date }
  | { ok: false; code: 'not_open_yet'; opensAt: Date }
  | { ok: false; code: 'consultation_over' }
  | { ok: false; code: 'cancelled' }
  | { ok: false; code: 'technical_failure' };

/**
 * Who may enter a consultation's room, and when: staff from the start of the pre-check
 * (T−30), clients from T; a client late after the no-show mark still; nobody once the
 * 60-minute limit has passed or the consultation is over, failed or cancelled.
 */
export function mayJoin(c: RoomFacts, role: 'staff' | 'client', now: Date): Admission {
  if (c.state === 'cancelled') return { ok: false, code: 'cancelled' };
  if (c.state === 'failed') return { ok: false, code: 'technical_failure' };
  const endsAt = hardLimitOf(c.start);
  // `endedAt`: a staff member ended it (also when nobody came: no_show with the room closed).
  if (c.state === 'ended' || c.endedAt || now.getTime() >= endsAt.getTime()) return { ok: false, code: 'consultation_over' };
  const opensAt = role === 'staff' ? new Date(c.start.getTime() - PRECHECK_MINUTES * MINUTE_MS) : c.start;
  if (now.getTime() < opensAt.getTime()) return { ok: false, code: 'not_open_yet', opensAt };
  return { ok: true, endsAt };
}

/**
 * The client's device and network test: any time before the limit while the consultation
 * may still take place — before T, in the room, and late after the no-show mark.
 */
export function mayRunNetworkTest(c: RoomFacts, now: Date): boolean {
  if (c.state === 'cancelled' || c.state === 'failed' || c.state === 'ended' || c.endedAt) return false;
  return now.getTime() < hardLimitOf(c.start).getTime();
}

/** A step of a consultation's history, as the staff screens and the reports read it. */
export const ConsultationTransition = z
  .object({
    event: LifecycleEventSchema,
    /** Null for `book`. */
    fromState: ConsultationState.nullable(),
    toState: ConsultationState,
    /** ISO instant. */
    at: z.string(),
    /** The staff member who did it; null when the timetable or a client's arrival did. */
    actorId: z.string().nullable(),
    /** For `reschedule`: the previous planned start (ISO). */
    previousStart: z.string().nullable(),
  })
  .meta({ id: 'ConsultationTransition' });
export type ConsultationTransition = z.infer<typeof ConsultationTransition>;

/** GET /consultations/:consultationId/history: every step, oldest first. */
export const ConsultationHistory = z.object({ transitions: z.array(ConsultationTransition) }).meta({ id: 'ConsultationHistory' });
export type ConsultationHistory = z.infer<typeof ConsultationHistory>;
