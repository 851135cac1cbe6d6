// The lifecycle writer against a real PostgreSQL: every (state, event) pair of the table
// (packages/protocol/src/lifecycle.ts). A consultation is put into each state through the
// test-only entry (which walks the same table), then each event is applied: an allowed one
// changes the state exactly as the table says and adds one history row; every other one is
// refused with `illegal_transition` and changes nothing (state, version, history).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createPrisma, ConsultationState as DbConsultationState, type PrismaClient } from '@dp/db';
import { CONSULTATION_STATES, LIFECYCLE, LIFECYCLE_EVENTS, nextState, type ConsultationState, type LifecycleEvent } from '@dp/protocol';
import {
  applyEvent,
  bookConsultation,
  ENDING_EVENTS,
  forceStateForTest,
  LifecycleError,
  pathTo,
} from '../src/consultations/lifecycle-writer.ts';
import { createTestDatabase, OMSK_CALENDAR } from './api/support.ts';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let institutionId: string;
let actorId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 4 });
  const department = await prisma.department.create({ data: { name: 'Департамент' } });
  const { lunch: _lunch, ...calendar } = OMSK_CALENDAR;
  institutionId = (await prisma.institution.create({ data: { departmentId: department.id, name: 'КЦСОН', ...calendar } })).id;
  actorId = (
    await prisma.staffUser.create({
      data: {
        email: `head-${randomUUID()}@example.org`,
        displayName: 'Заведующая',
        role: 'head',
        institutionId,
        departmentId: department.id,
      },
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const START = new Date('2026-12-01T05:00:00.000Z');
const AT = new Date('2026-12-01T05:20:00.000Z');

/** The no-show of the T+15 mark (the room not closed: a late client may still come), not the shortest way (the limit). */
const WAY: Partial<Record<ConsultationState, LifecycleEvent[]>> = { no_show: ['room_opened', 'no_show'] };

async function consultationIn(state: ConsultationState): Promise<string> {
  const id = await bookConsultation(
    prisma,
    { institutionId, kind: 'one_to_one', direction: 'specialist_client', mode: 'on_request', start: START, durationMinutes: 45 },
    { actorId, at: new Date('2026-11-20T00:00:00Z') },
  );
  await forceStateForTest(prisma, id, state, { at: new Date('2026-12-01T05:00:00Z'), ...(WAY[state] ? { events: WAY[state] } : {}) });
  return id;
}

const snapshot = async (id: string) => {
  const c = await prisma.consultation.findUniqueOrThrow({ where: { id } });
  const history = await prisma.consultationTransition.findMany({ where: { consultationId: id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  return { c, history };
};

describe('the states', () => {
  it('the Prisma enum consultation_state is the lifecycle table’s list (same values, same order)', () => {
    expect(Object.values(DbConsultationState)).toEqual([...CONSULTATION_STATES]);
  });

  it('the test-only entry reaches every state through the table', async () => {
    for (const state of CONSULTATION_STATES) {
      const id = await consultationIn(state);
      const { c, history } = await snapshot(id);
      expect(c.state).toBe(state);
      expect(history.map((h) => h.event)).toEqual(['book', ...(WAY[state] ?? pathTo(state))]);
    }
  });
});

describe('every (state, event) pair', () => {
  const pairs = CONSULTATION_STATES.flatMap((state) =>
    LIFECYCLE_EVENTS.map((event) => [state, event] as [ConsultationState, LifecycleEvent]),
  );
  const allowed = pairs.filter(([state, event]) => event !== 'book' && nextState(event, state) !== null);

  it('covers both outcomes (the walk is not vacuous)', () => {
    expect(pairs).toHaveLength(CONSULTATION_STATES.length * LIFECYCLE_EVENTS.length);
    expect(allowed.length).toBeGreaterThan(20);
    expect(pairs.length - allowed.length).toBeGreaterThan(50);
  });

  it.each(pairs)('%s + %s', async (state, event) => {
    const id = await consultationIn(state);
    const before = await snapshot(id);
    const expected = event === 'book' ? null : nextState(event, state);
    const data =
      event === 'reschedule'
        ? { start: new Date('2026-12-02T05:00:00Z'), durationMinutes: 30 }
        : event === 'cancel'
          ? { cancelledReason: 'Болезнь' }
          : undefined;
    const step = applyEvent(prisma, id, event, { actorId, at: AT, ...(data ? { data } : {}) });
    const after = async () => snapshot(id);

    if (expected === null) {
      await expect(step).rejects.toBeInstanceOf(LifecycleError);
      await expect(step).rejects.toMatchObject({ code: 'illegal_transition', event, state });
      const now = await after();
      expect(now.c.state).toBe(state);
      expect(now.c.version).toBe(before.c.version);
      expect(now.c.updatedAt).toEqual(before.c.updatedAt);
      expect(now.history).toHaveLength(before.history.length);
      return;
    }

    await expect(step).resolves.toEqual({ from: state, to: expected, version: expect.any(Number) });
    const now = await after();
    expect(now.c.state).toBe(expected);
    expect(now.history).toHaveLength(before.history.length + 1);
    const row = now.history.at(-1)!;
    expect(row).toMatchObject({ event, fromState: state, toState: expected, at: AT, actorId });
    expect(row.previousStart).toEqual(event === 'reschedule' ? START : null);
    // The version moves when the row changed: the state, or the event's own columns.
    const rowChanged =
      expected !== state ||
      event === 'reschedule' ||
      event === 'cancel' ||
      event === 'technical_failure' ||
      (ENDING_EVENTS.has(event) && !before.c.endedAt) ||
      (event === 'client_joined' && !before.c.startedAt);
    expect(now.c.version).toBe(before.c.version + (rowChanged ? 1 : 0));
    if (event === 'client_joined') expect(now.c.startedAt).toEqual(before.c.startedAt ?? AT);
    if (ENDING_EVENTS.has(event)) expect(now.c.endedAt).toEqual(before.c.endedAt ?? AT);
    if (event === 'technical_failure') expect(now.c.technicalFailureAt).toEqual(AT);
    if (event === 'reschedule') {
      expect(now.c).toMatchObject({ start: data!.start, durationMinutes: 30, technicalFailureAt: null });
    }
    if (event === 'cancel') expect(now.c.cancelledReason).toBe('Болезнь');
  });
});

describe('the guards', () => {
  it('a stale version is refused with stale_version and changes nothing', async () => {
    const id = await consultationIn('planned');
    const before = await snapshot(id);
    await expect(
      applyEvent(prisma, id, 'cancel', { actorId, at: AT, data: { cancelledReason: 'x' }, expectVersion: before.c.version + 5 }),
    ).rejects.toMatchObject({ code: 'stale_version', currentVersion: before.c.version });
    const now = await snapshot(id);
    expect(now.c.state).toBe('planned');
    expect(now.history).toHaveLength(before.history.length);
    await expect(applyEvent(prisma, id, 'cancel', { actorId, at: AT, expectVersion: before.c.version })).resolves.toMatchObject({
      to: 'cancelled',
    });
  });

  it('an unknown consultation is not_found, and the booking writes the first history row', async () => {
    await expect(applyEvent(prisma, randomUUID(), 'cancel', { actorId, at: AT })).rejects.toMatchObject({ code: 'not_found' });
    await expect(applyEvent(prisma, 'not-a-uuid', 'cancel', { actorId, at: AT })).rejects.toMatchObject({ code: 'not_found' });
    const id = await bookConsultation(
      prisma,
      { institutionId, kind: 'webinar', direction: 'specialist_specialist', mode: 'planned', start: START, durationMinutes: 60 },
      { actorId, at: AT },
    );
    const { c, history } = await snapshot(id);
    expect(c.state).toBe(LIFECYCLE.book.to);
    expect(history).toEqual([expect.objectContaining({ event: 'book', fromState: null, toState: 'planned', at: AT, actorId })]);
  });

  it('two writers at once are serialised: the history is a legal walk', async () => {
    const id = await consultationIn('open');
    const results = await Promise.allSettled([
      applyEvent(prisma, id, 'client_joined', { actorId: null, at: AT }),
      applyEvent(prisma, id, 'no_show', { actorId: null, at: AT }),
    ]);
    const { c, history } = await snapshot(id);
    // A client's arrival is allowed from open and from no_show, so it always lands; the
    // no-show mark lands only if it came first. Either way the history is a legal walk.
    expect(results[0].status).toBe('fulfilled');
    expect(c.state).toBe('live');
    const steps = history.filter((h) => h.at.getTime() === AT.getTime()).map((h) => `${h.fromState}>${h.event}>${h.toState}`);
    if (results[1].status === 'fulfilled') expect(steps).toEqual(['open>no_show>no_show', 'no_show>client_joined>live']);
    else {
      expect(results[1].reason).toMatchObject({ code: 'illegal_transition', state: 'live' });
      expect(steps).toEqual(['open>client_joined>live']);
    }
  });
});
