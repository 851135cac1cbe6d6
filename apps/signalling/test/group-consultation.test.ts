// «Групповая консультация»: a webinar with `openFloor`, where every family may speak without
// raising a hand — attendees enter with the floor and their microphone reaches the hosts and
// the other attendees; in an ordinary webinar (the control) an attendee stays silent.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RequestResult, RoomRole } from '@dp/protocol';
import { connectSeat, errorCode, ok, opusRtpParameters, roomId, seatFor, startStack, type Stack, type TestPeer } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(26300);
}, 60_000);
afterAll(async () => {
  await stack?.close();
}, 30_000);

type Joined = RequestResult<'join'>;
let ssrc = 7000;

async function enter(room: string, role: RoomRole, openFloor: boolean): Promise<{ peer: TestPeer; joined: Joined }> {
  const seat = await seatFor(stack, room, role, { kind: 'webinar' });
  // Set before the first join: the room reads the flag when it opens.
  await stack.signalling.prisma.consultation.update({ where: { id: roomId(room) }, data: { openFloor } });
  const peer = await connectSeat(stack, seat);
  const joined = ok(await peer.request<Joined>('join', seat.join));
  ok(await peer.request('ready', { rtpCapabilities: joined.routerRtpCapabilities }));
  return { peer, joined };
}

const speak = (p: { peer: TestPeer; joined: Joined }) =>
  p.peer.request<{ producerId: string }>('produce', {
    transportId: p.joined.transports.send.id,
    kind: 'audio',
    rtpParameters: opusRtpParameters(++ssrc),
    source: 'mic',
  });

describe('group consultation (openFloor)', () => {
  it('attendees enter with the floor and are heard by the host and by each other, without raising a hand', async () => {
    const room = 'group-consultation-1';
    const host = await enter(room, 'host', true);
    const a1 = await enter(room, 'attendee', true);
    const a2 = await enter(room, 'attendee', true);
    try {
      expect(a1.joined.self).toMatchObject({ role: 'attendee', floor: 'full' });
      const heardByHost = host.peer.next('newConsumer');
      const heardByA2 = a2.peer.next('newConsumer');
      ok(await speak(a1));
      expect(await heardByHost).toMatchObject({ peerId: a1.joined.self.id, source: 'mic' });
      expect(await heardByA2).toMatchObject({ peerId: a1.joined.self.id, source: 'mic' });
    } finally {
      for (const p of [host, a1, a2]) p.peer.close();
    }
  });

  it('in an ordinary webinar an attendee may not speak until given the floor', async () => {
    const room = 'ordinary-webinar-1';
    const host = await enter(room, 'host', false);
    const a1 = await enter(room, 'attendee', false);
    try {
      expect(a1.joined.self).toMatchObject({ role: 'attendee', floor: 'none' });
      expect(errorCode(await speak(a1))).toBe('forbidden');
    } finally {
      for (const p of [host, a1]) p.peer.close();
    }
  });
});
