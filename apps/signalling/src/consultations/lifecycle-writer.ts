// The one writer of a consultation's lifecycle state (the table: packages/protocol/src/lifecycle.ts).
// Every change of `consultations.state` goes through `applyEvent` (or, for a new consultation,
// `bookConsultation`): it locks the row, checks the table, updates the row with the from-state
// (and the expected version, when given) in the WHERE clause, and records the step in
// `consultation_transitions` with who and when — all in one transaction. Modelled on LiveKit's
// participant `updateState`: one method changes the state and refuses out-of-order changes.
import type { ChangeReason, Prisma, PrismaClient, TransactionClient } from '@dp/db';
import {
  FORM_OUTCOME_EVENTS,
  LIFECYCLE,
  LIFECYCLE_EVENTS,
  nextState,
  ProtocolError,
  type ConsultationState,
  type LifecycleEvent,
} from '@dp/protocol';

export type LifecycleDb = PrismaClient | TransactionClient;

/** The events after which the room is over: `ended_at` is set (and the room admits nobody again). */
export const ENDING_EVENTS: ReadonlySet<LifecycleEvent> = new Set<LifecycleEvent>([
  'ended_by_staff',
  'closed_without_client',
  'limit_reached',
  'limit_without_client',
  'held_by_phone',
  'not_reached_by_phone',
  'answered_by_email',
]);

export type LifecycleErrorCode = 'illegal_transition' | 'stale_version' | 'not_found';

/** A change the table refuses, a stale `version`, or no such consultation. Nothing was written. */
export class LifecycleError extends Error {
  readonly code: LifecycleErrorCode;
  readonly event: LifecycleEvent;
  /** The consultation's state when it was refused (null: not found). */
  readonly state: ConsultationState | null;
  /** With `stale_version`: the version the row has now. */
  readonly currentVersion: number | null;

  constructor(code: LifecycleErrorCode, event: LifecycleEvent, state: ConsultationState | null, currentVersion: number | null = null) {
    super(
      code === 'illegal_transition'
        ? `a consultation that is ${state} cannot take the step ${event}`
        : code === 'stale_version'
          ? 'the consultation was changed meanwhile: reload it and try again'
          : 'no such consultation',
    );
    this.name = 'LifecycleError';
    this.code = code;
    this.event = event;
    this.state = state;
    this.currentVersion = currentVersion;
  }
}

export const isIllegalTransition = (e: unknown): e is LifecycleError => e instanceof LifecycleError && e.code === 'illegal_transition';

/** For a `.catch`: a step the table refuses (a repeat, or the consultation moved on) is dropped; anything else is thrown on. */
export function dropIllegalTransition(e: unknown): null {
  if (!isIllegalTransition(e)) throw e;
  return null;
}

/** Columns an event may change besides the state (each event's own effects are the writer's, below). */
export interface LifecycleData {
  /** `reschedule`: the new planned start and length. */
  start?: Date;
  durationMinutes?: number;
  /** `cancel`: the reason as given (free text; never logged, never told to the client). */
  cancelledReason?: string | null;
  /** `reschedule`, `cancel`: the category told to the client (null: none given). */
  changeReason?: ChangeReason | null;
  /** `held_by_phone`: when the call began (the outcome's time minus the actual duration). */
  startedAt?: Date;
}

export interface ApplyOptions {
  /** The staff member who did it; null for the timetable, a client's arrival or the room's own timer. */
  actorId: string | null;
  at: Date;
  data?: LifecycleData;
  /** Optimistic locking: refused with `stale_version` unless the row still has this version. */
  expectVersion?: number;
}

export interface Applied {
  from: ConsultationState;
  to: ConsultationState;
  /** The row's version after the step. */
  version: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function inTransaction<T>(db: LifecycleDb, work: (tx: TransactionClient) => Promise<T>): Promise<T> {
  return '$transaction' in db ? db.$transaction((tx) => work(tx)) : work(db);
}

/**
 * Applies `event` to the consultation: refused with a LifecycleError (and nothing written)
 * when the table does not allow it in the current state, when `expectVersion` is stale or
 * when the consultation does not exist. Otherwise the state becomes the table's to-state,
 * the event's own columns follow (started_at on the first client, ended_at on an ending
 * event, technical_failure_at on a technical failure and cleared by a reschedule), the
 * version goes up when anything of the row changed, and one history row is written.
 */
export function applyEvent(db: LifecycleDb, consultationId: string, event: LifecycleEvent, opts: ApplyOptions): Promise<Applied> {
  return applyChosenEvent(db, consultationId, () => event, opts);
}

/**
 * The same for a step whose event depends on the state, chosen under the row's lock — the
 * end of a consultation: `applyChosenEvent(db, id, (s) => endingEvent(s, 'staff'), …)` counts a
 * client who came in a moment before.
 */
export function applyChosenEvent(
  db: LifecycleDb,
  consultationId: string,
  choose: (state: ConsultationState) => LifecycleEvent,
  opts: ApplyOptions,
): Promise<Applied> {
  // Not an id of ours (a room with no consultation in tests and benchmarks): never sent to the uuid column.
  if (!UUID.test(consultationId)) return Promise.reject(new LifecycleError('not_found', choose('planned'), null));
  return inTransaction(db, async (tx) => {
    // The row lock serialises every writer of this consultation: what is read is what is changed.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM consultations WHERE id = ${consultationId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new LifecycleError('not_found', choose('planned'), null);
    const current = await tx.consultation.findUniqueOrThrow({
      where: { id: consultationId },
      select: { state: true, version: true, start: true, startedAt: true, endedAt: true, technicalFailureAt: true },
    });
    const from = current.state;
    const event = choose(from);
    // bookConsultation creates; `book` never happens to an existing consultation.
    if (event === 'book') throw new LifecycleError('illegal_transition', event, from);
    if (opts.expectVersion !== undefined && opts.expectVersion !== current.version) {
      throw new LifecycleError('stale_version', event, from, current.version);
    }
    const to = nextState(event, from);
    if (to === null) throw new LifecycleError('illegal_transition', event, from);

    const data: Prisma.ConsultationUpdateManyMutationInput = { ...opts.data };
    if (to !== from) data.state = to;
    if (event === 'client_joined' && !current.startedAt) data.startedAt = opts.at;
    if (ENDING_EVENTS.has(event) && !current.endedAt) data.endedAt = opts.at;
    if (event === 'technical_failure' && !current.technicalFailureAt) data.technicalFailureAt = opts.at;
    if (event === 'reschedule') data.technicalFailureAt = null;
    const changes = Object.keys(data).length > 0;
    let version = current.version;
    if (changes) {
      const { count } = await tx.consultation.updateMany({
        where: { id: consultationId, state: from, ...(opts.expectVersion !== undefined ? { version: opts.expectVersion } : {}) },
        data: { ...data, version: { increment: 1 } },
      });
      // Unreachable under the row lock; kept so that a change of locking can never write blind.
      if (count !== 1) throw new LifecycleError('stale_version', event, from, current.version);
      version += 1;
    }
    await tx.consultationTransition.create({
      data: {
        consultationId,
        event,
        fromState: from,
        toState: to,
        at: opts.at,
        actorId: opts.actorId,
        previousStart: event === 'reschedule' ? current.start : null,
      },
    });
    return { from, to, version };
  });
}

/** A new consultation's columns: everything but what the lifecycle owns. */
export type BookingData = Omit<
  Prisma.ConsultationUncheckedCreateInput,
  'state' | 'version' | 'startedAt' | 'endedAt' | 'technicalFailureAt' | 'transitions'
>;

/** Creates a consultation in the table's `book` state (`planned`) with its first history row. */
export async function bookConsultation(db: LifecycleDb, data: BookingData, opts: { actorId: string | null; at: Date }): Promise<string> {
  const to = LIFECYCLE.book.to;
  const created = await db.consultation.create({
    data: {
      ...data,
      state: to,
      transitions: { create: { event: 'book', fromState: null, toState: to, at: opts.at, actorId: opts.actorId } },
    },
    select: { id: true },
  });
  return created.id;
}

/**
 * The events that bring a just-booked consultation (`planned`) to `target` by the shortest
 * way through the table (planned → precheck → open → live → ended, …).
 */
export function pathTo(target: ConsultationState): LifecycleEvent[] {
  const start: ConsultationState = LIFECYCLE.book.to;
  const ways = new Map<ConsultationState, LifecycleEvent[]>([[start, []]]);
  const queue: ConsultationState[] = [start];
  while (queue.length > 0) {
    const state = queue.shift()!;
    for (const event of LIFECYCLE_EVENTS) {
      // The telephone and e-mail outcomes are not an online consultation's way anywhere.
      const to = event === 'book' || FORM_OUTCOME_EVENTS.has(event) ? null : nextState(event, state);
      if (to === null || ways.has(to)) continue;
      ways.set(to, [...ways.get(state)!, event]);
      queue.push(to);
    }
  }
  const way = ways.get(target);
  if (!way) throw new Error(`the lifecycle table has no way from ${start} to ${target}`);
  return way;
}

/**
 * TEST-ONLY ENTRY (tests, the e2e stack, benchmarks — never the product): walks a
 * consultation through `events` (default: `pathTo(target)`) with `applyEvent`, so the
 * table refuses what it refuses anywhere else and the history records every step. No actor.
 */
export async function forceStateForTest(
  db: LifecycleDb,
  consultationId: string,
  target: ConsultationState,
  opts: { events?: LifecycleEvent[]; at?: Date } = {},
): Promise<void> {
  const events = opts.events ?? pathTo(target);
  for (const event of events) await applyEvent(db, consultationId, event, { actorId: null, at: opts.at ?? new Date() });
  const row = await db.consultation.findUniqueOrThrow({ where: { id: consultationId }, select: { state: true } });
  if (row.state !== target) throw new Error(`forceStateForTest: ${events.join(' → ')} led to ${row.state}, not ${target}`);
}

/** A refused step as a room's socket acknowledgement says it. */
export function protocolErrorOf(e: LifecycleError): ProtocolError {
  if (e.code === 'not_found') return new ProtocolError('not_found', 'no such consultation');
  switch (e.state) {
    case 'ended':
    case 'no_show':
      return new ProtocolError('consultation_over', e.message);
    case 'cancelled':
      return new ProtocolError('cancelled', e.message);
    case 'failed':
      return new ProtocolError('technical_failure', e.message);
    default:
      return new ProtocolError('forbidden', e.message);
  }
}
