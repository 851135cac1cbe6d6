import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jobPlan } from '@dp/scheduling';
import { applyEvent } from '../src/consultations/lifecycle-writer.ts';
import type { JobOutcome } from '../src/timetable/timetable-service.ts';
import {
  admittedClient,
  connectPeer,
  connectSeat,
  signedInAs,
  errorCode,
  ok,
  onJobOutcome,
  roomId,
  seatFor,
  startStack,
  tokenFor,
  waitFor,
  type Stack,
} from './harness.ts';

// The timetable drives real rooms: real PostgreSQL, real Redis + BullMQ, real SFU.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(23200);
}, 60_000);
afterAll(async () => {
  await stack?.close();
}, 30_000);

const MIN = 60_000;
const prisma = () => stack.signalling.prisma;
const state = async (name: string) => (await prisma().consultation.findUniqueOrThrow({ where: { id: roomId(name) } })).state;
/** A person's step on the named consultation through the lifecycle's one writer (as the API takes it). */
const step = (name: string, event: 'cancel' | 'reschedule', data?: { start: Date }) =>
  applyEvent(prisma(), roomId(name), event, { actorId: null, at: new Date(), ...(data ? { data } : {}) });

/** Collects the timetable's job outcomes for one consultation. */
function outcomes(name: string) {
  const seen: JobOutcome[] = [];
  onJobOutcome((o) => o.job.consultationId === roomId(name) && seen.push(o));
  return seen;
}

describe('who may enter, and when', () => {
  it('refuses a client before T (with the opening time), lets the specialist prepare from T−30', async () => {
    const start = new Date(Date.now() + 10 * MIN);
    // T−10: in the pre-check window.
    const clientToken = await tokenFor(stack, 'tt-early', 'client', { start, state: 'precheck' });
    const p = await connectPeer(stack);
    const refused = await p.request('join', { token: clientToken });
    expect(errorCode(refused)).toBe('not_open_yet');
    expect(!refused.ok && refused.error.details).toEqual({ opensAt: start.toISOString(), startsAt: start.toISOString() });
    // The specialist enters signed in (staff have no links).
    const seat = await seatFor(stack, 'tt-early', 'specialist');
    const s = await connectSeat(stack, seat);
    const joined = ok(await s.request<{ room: { endsAt: string } }>('join', seat.join));
    expect(joined.room.endsAt).toBe(new Date(start.getTime() + 60 * MIN).toISOString());
    p.close();
    s.close();
  });

  it('refuses everyone after the limit, after cancellation, and a revoked link', async () => {
    const over = await seatFor(stack, 'tt-over', 'specialist', { start: new Date(Date.now() - 61 * MIN) });
    const s = await connectSeat(stack, over);
    expect(errorCode(await s.request('join', over.join))).toBe('consultation_over');
    s.close();
    const p = await connectPeer(stack);
    const token = await tokenFor(stack, 'tt-cancelled', 'client');
    await step('tt-cancelled', 'cancel');
    expect(errorCode(await p.request('join', { token }))).toBe('cancelled');
    const revoked = await tokenFor(stack, 'tt-revoked', 'client');
    await prisma().participant.updateMany({ where: { consultationId: roomId('tt-revoked') }, data: { linkRevokedAt: new Date() } });
    expect(errorCode(await p.request('join', { token: revoked }))).toBe('link_revoked');
    p.close();
  });

  it('records the join, and the first client let in makes the consultation live', async () => {
    const { client, specialist, clientId } = await admittedClient(stack, 'tt-live');
    await waitFor(async () => (await state('tt-live')) === 'live');
    const participant = await prisma().participant.findUniqueOrThrow({ where: { id: clientId } });
    expect(participant.joinedAt).not.toBeNull();
    expect(await prisma().roomVisit.count({ where: { participantId: clientId } })).toBe(1);
    client.close();
    specialist.close();
  });
});

describe('jobs act on the room', () => {
  it('warns «10 minutes left» at T+50 through a real delayed job', async () => {
    const start = new Date(Date.now() - 50 * MIN + 1500); // T+50 is 1.5 s away
    const seen = outcomes('tt-warn');
    const { client: p, specialist } = await admittedClient(stack, 'tt-warn', { start });
    const warned = p.next('timeWarning', 8000);
    await stack.signalling.timetable.changed(roomId('tt-warn'));
    expect(await warned).toEqual({ minutesLeft: 10, endsAt: new Date(start.getTime() + 60 * MIN).toISOString() });
    expect(seen.find((o) => o.job.kind === 'warn_10')?.action).toBe('warn');
    // The jobs that were already due fired at once and did the right thing for a live room.
    expect(seen.find((o) => o.job.kind === 'precheck_open')?.action).toBe('skip');
    p.close();
    specialist.close();
  });

  it('closes an overdue room at once when its job fires late (the process was down)', async () => {
    const name = 'tt-overdue';
    const token = await tokenFor(stack, name, 'client');
    const p = await connectPeer(stack);
    ok(await p.request('join', { token }));
    // The consultation's limit passed while no job ran (e.g. signalling was down): its job
    // set, queued long ago, fires now — late.
    const start = new Date(Date.now() - 61 * MIN);
    // outside the lifecycle on purpose: not a move (no `reschedule`) but the clock — the row as it is 61 minutes after its start.
    await prisma().consultation.update({ where: { id: roomId(name) }, data: { start } });
    const closed = p.next('roomClosed', 8000);
    await stack.signalling.timetable.queue.replace(roomId(name), start, jobPlan({ id: roomId(name), start, state: 'live' }));
    expect(await closed).toEqual({ reason: 'time_limit' });
    // Its client waited and was never let in: the limit without a client is a no-show.
    await waitFor(async () => (await state(name)) === 'no_show');
    expect((await stack.sfu.service.handlers.roomState({ roomId: roomId(name) }, 't')).exists).toBe(false);
    p.close();
  });

  it('moving a consultation replaces its job set (listed in the queue), and stale jobs do nothing', async () => {
    const name = 'tt-move';
    await seatFor(stack, name, 'specialist', { start: new Date(Date.now() + 3 * 3600_000), state: 'planned' });
    await stack.signalling.timetable.changed(roomId(name));
    const before = await stack.signalling.timetable.queue.pending(roomId(name));
    expect(before.map((j) => j.kind).sort()).toEqual([
      'clients_admitted',
      'hard_limit',
      'no_show_check',
      'precheck_alert',
      'precheck_open',
      'warn_10',
      'warn_5',
    ]);
    await step(name, 'reschedule', { start: new Date(Date.now() + 27 * 3600_000) });
    await stack.signalling.timetable.changed(roomId(name));
    const after = await stack.signalling.timetable.queue.pending(roomId(name));
    expect(after).toHaveLength(7);
    expect(after.filter((j) => before.some((b) => b.id === j.id))).toEqual([]);
    await step(name, 'cancel');
    await stack.signalling.timetable.changed(roomId(name));
    expect(await stack.signalling.timetable.queue.pending(roomId(name))).toEqual([]);
  });

  it('closes an open room at once when its consultation is cancelled', async () => {
    const name = 'tt-cancel-open';
    const p = await connectPeer(stack);
    ok(await p.request('join', { token: await tokenFor(stack, name, 'client') }));
    const closed = p.next('roomClosed');
    await step(name, 'cancel');
    await stack.signalling.timetable.changed(roomId(name));
    expect(await closed).toEqual({ reason: 'ended' });
    expect(await stack.signalling.timetable.queue.pending(roomId(name))).toEqual([]);
    await waitFor(async () => !(await stack.sfu.service.handlers.roomState({ roomId: roomId(name) }, 't')).exists);
    p.close();
  });

  it('closes a pre-check room when its consultation is moved (its limit was the old one)', async () => {
    const name = 'tt-move-open';
    const start = new Date(Date.now() + 10 * MIN);
    const seat = await seatFor(stack, name, 'specialist', { start, state: 'precheck' });
    const p = await connectSeat(stack, seat);
    ok(await p.request('join', seat.join));
    const closed = p.next('roomClosed');
    await step(name, 'reschedule', { start: new Date(start.getTime() + 24 * 3600_000) });
    await stack.signalling.timetable.changed(roomId(name));
    expect(await closed).toEqual({ reason: 'ended' });
    expect(errorCode(await p.request('join', seat.join))).toBe('not_open_yet');
    p.close();
  });

  it('records the limit when the room closes itself: «ended» after a client came, «no_show» when none was let in', async () => {
    const start = new Date(Date.now() - 60 * MIN + 8000);
    const { client, specialist } = await admittedClient(stack, 'tt-selfclose', { start });
    const clientClosed = client.next('roomClosed', 15_000);
    const waiting = await connectPeer(stack);
    ok(await waiting.request('join', { token: await tokenFor(stack, 'tt-selfclose-empty', 'client', { start }) }));
    const waitingClosed = waiting.next('roomClosed', 15_000);
    expect(await clientClosed).toEqual({ reason: 'time_limit' });
    expect(await waitingClosed).toEqual({ reason: 'time_limit' });
    await waitFor(async () => (await state('tt-selfclose')) === 'ended');
    await waitFor(async () => (await state('tt-selfclose-empty')) === 'no_show');
    const ended = await prisma().consultation.findUniqueOrThrow({ where: { id: roomId('tt-selfclose') } });
    expect(ended.startedAt).not.toBeNull();
    expect(ended.endedAt).not.toBeNull();
    const steps = await prisma().consultationTransition.findMany({
      where: { consultationId: roomId('tt-selfclose') },
      orderBy: { at: 'asc' },
    });
    expect(steps.map((t) => t.event)).toEqual(['book', 'room_opened', 'client_joined', 'limit_reached']);
    for (const p of [client, specialist, waiting]) p.close();
  }, 30_000);
});

describe('the staff REST API books through the real timetable', () => {
  it('books a free slot (seven jobs; the link from its own route), moves it (new job set), cancels it (no jobs; the link says cancelled)', async () => {
    const { seedDemo } = await import('@dp/db');
    const ids = await seedDemo(prisma());
    // The head of the institution books, signed in like in the browser.
    const { api } = await signedInAs(stack, ids.headId);
    const inst = ids.institutions.omsk;
    const spec = ids.specialists.psychologist;
    const from = new Date(Date.now() + 24 * 3600_000).toISOString();
    const to = new Date(Date.now() + 20 * 24 * 3600_000).toISOString();
    const free = await api('GET', `/institutions/${inst}/specialists/${spec}/free-slots?from=${from}&to=${to}&durationMinutes=45`);
    expect(free.status).toBe(200);
    const slots = free.body.slots as string[];
    expect(slots.length).toBeGreaterThan(2);

    const created = await api('POST', `/institutions/${inst}/consultations`, {
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      specialistIds: [spec],
      start: slots[0],
      durationMinutes: 45,
      clients: [{}],
    });
    expect(created.status).toBe(201);
    const consultation = created.body as { id: string; version: number; participants: { id: string; role: string }[] };
    expect(consultation.participants.map((l) => l.role).sort()).toEqual(['client', 'specialist']);
    expect(JSON.stringify(created.body)).not.toContain('/join/');
    const jobs = () => stack.signalling.timetable.queue.pending(consultation.id);
    await waitFor(async () => (await jobs()).length === 7);

    // The client's link, before the start: «not yet», with the opening time.
    const clientId = consultation.participants.find((l) => l.role === 'client')!.id;
    const link = await api('GET', `/consultations/${consultation.id}/participants/${clientId}/link`);
    expect(link.status).toBe(200);
    const clientToken = (link.body.url as string).split('/join/')[1]!;
    const p = await connectPeer(stack);
    const early = await p.request('join', { token: clientToken });
    expect(errorCode(early)).toBe('not_open_yet');

    const before = (await jobs()).map((j) => j.id);
    const moved = await api('POST', `/consultations/${consultation.id}/reschedule`, { start: slots.at(-1), version: consultation.version });
    expect(moved.status).toBe(200);
    await waitFor(async () => {
      const now = await jobs();
      return now.length === 7 && now.every((j) => !before.includes(j.id));
    });

    const cancelled = await api('POST', `/consultations/${consultation.id}/cancel`, {
      reasonCategory: 'technical',
      reason: 'технический сбой у специалиста',
      version: (moved.body as { version: number }).version,
    });
    expect(cancelled.status).toBe(200);
    await waitFor(async () => (await jobs()).length === 0);
    expect(errorCode(await p.request('join', { token: clientToken }))).toBe('cancelled');
    p.close();
  });
});
