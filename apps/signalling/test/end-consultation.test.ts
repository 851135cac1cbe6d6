// «Завершить консультацию» on the real stack (real SFU worker, real sockets, real PostgreSQL):
// the room closes for everyone, the lifecycle records the end with who and when, and nobody
// enters again. The room's rules in detail: room.test.ts (in-process).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  admittedClient,
  connectPeer,
  connectSeat,
  errorCode,
  ok,
  seatFor,
  startStack,
  tokenFor,
  roomId,
  type Stack,
  type TestPeer,
  waitFor,
} from './harness.ts';

let stack: Stack;
const peers: TestPeer[] = [];

beforeAll(async () => {
  stack = await startStack(26100);
}, 60_000);

afterAll(async () => {
  peers.forEach((p) => p.close());
  await stack?.close();
}, 30_000);

const consultation = (room: string) =>
  stack.signalling.prisma.consultation.findUniqueOrThrow({
    where: { id: roomId(room) },
    select: { state: true, endedAt: true, transitions: { orderBy: { at: 'asc' }, select: { event: true, actorId: true, toState: true } } },
  });

describe('ending a consultation', () => {
  it('the specialist ends it: everyone gets roomClosed «ended», the state is `ended` with who and when, and nobody enters again', async () => {
    const room = 'end-by-specialist';
    const { client, specialist } = await admittedClient(stack, room);
    peers.push(client, specialist);
    // A second client still in the waiting room is told as well.
    const waiting = await connectPeer(stack);
    peers.push(waiting);
    const waitingToken = await tokenFor(stack, room, 'client');
    expect(ok(await waiting.request<{ admission: string }>('join', { token: waitingToken })).admission).toBe('waiting');

    // A client may not end it; a bad payload is refused before anything happens.
    expect(errorCode(await client.request('endConsultation', {}))).toBe('forbidden');
    expect(errorCode(await specialist.request('endConsultation', { reason: 'x' }))).toBe('bad_request');
    // The client's entry is written a moment after its admission is acknowledged.
    await waitFor(async () => (await consultation(room)).state === 'live', { what: 'the consultation live' });

    const clientClosed = client.next('roomClosed');
    const waitingClosed = waiting.next('roomClosed');
    const before = Date.now();
    ok(await specialist.request('endConsultation', {}));
    expect(await clientClosed).toEqual({ reason: 'ended' });
    expect(await waitingClosed).toEqual({ reason: 'ended' });
    expect(Date.now() - before).toBeLessThan(2000);

    const c = await consultation(room);
    expect(c.state).toBe('ended');
    expect(c.endedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const specialistUser = await stack.signalling.prisma.participant.findFirstOrThrow({
      where: { consultationId: roomId(room), role: 'specialist' },
      select: { staffUserId: true },
    });
    expect(c.transitions.at(-1)).toEqual({ event: 'ended_by_staff', actorId: specialistUser.staffUserId, toState: 'ended' });

    // A second press (a retry) answers the same and records nothing more.
    ok(await specialist.request('endConsultation', {}));
    expect((await consultation(room)).transitions.filter((t) => t.event === 'ended_by_staff')).toHaveLength(1);
    // Late joins: the consultation is over.
    const late = await connectPeer(stack);
    peers.push(late);
    expect(errorCode(await late.request('join', { token: waitingToken }))).toBe('consultation_over');
  }, 30_000);

  it('ended before any client came: the consultation is a no-show, closed with the actual time', async () => {
    const room = 'end-without-client';
    const seat = await seatFor(stack, room, 'specialist');
    const specialist = await connectSeat(stack, seat);
    peers.push(specialist);
    const joined = ok(await specialist.request<{ room: { endsAt: string; bookedEndsAt: string } }>('join', seat.join));
    const start = (await stack.signalling.prisma.consultation.findUniqueOrThrow({ where: { id: roomId(room) } })).start;
    // The page's timer counts to the booked end (start + 45 min here); the room closes at the cap.
    expect(joined.room.bookedEndsAt).toBe(new Date(start.getTime() + 45 * 60_000).toISOString());
    expect(joined.room.endsAt).toBe(new Date(start.getTime() + 60 * 60_000).toISOString());

    const closed = specialist.next('roomClosed');
    ok(await specialist.request('endConsultation', {}));
    expect(await closed).toEqual({ reason: 'ended' });
    const c = await consultation(room);
    expect(c.state).toBe('no_show');
    expect(c.endedAt).not.toBeNull();
    expect(c.transitions.at(-1)).toMatchObject({ event: 'closed_without_client', actorId: seat.staffUserId });
    const again = await connectSeat(stack, seat);
    peers.push(again);
    expect(errorCode(await again.request('join', seat.join))).toBe('consultation_over');
  }, 30_000);
});
