import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MediaCapabilities, type PeerInfo, type RequestResult, type TransportOptions } from '@dp/protocol';
import {
  connectPeer,
  connectSeat,
  errorCode,
  ok,
  opusRtpParameters,
  roomId,
  seatFor,
  startStack,
  tokenFor,
  waitFor,
  type Seat,
  type Stack,
  type TestPeer,
} from './harness.ts';

// Real mediasoup worker + real signalling; socket.io clients play the browsers.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(23000);
}, 60_000);
afterAll(async () => {
  await stack?.close();
}, 30_000);

type Joined = RequestResult<'join'>;
const capabilities = async () => MediaCapabilities.parse(await (await fetch(`${stack.url}/api/media/capabilities`)).json());
const roomState = (name: string) => stack.sfu.service.handlers.roomState({ roomId: roomId(name) }, 'test');

/** The specialist of each room, who lets its clients in from the waiting room. */
const specialists = new Map<string, TestPeer>();

async function joinedPeer(
  room: string,
  role: 'specialist' | 'client',
  withCapabilities = false,
): Promise<{ peer: TestPeer; joined: Joined; send: TransportOptions; recv: TransportOptions; join: Seat['join'] }> {
  // A client by its link, the specialist signed in (staff have no links).
  const seat = await seatFor(stack, room, role);
  const peer = await connectSeat(stack, seat);
  const rtpCapabilities = withCapabilities ? (await capabilities()).routerRtpCapabilities : undefined;
  let joined = ok(await peer.request<Joined>('join', { ...seat.join, ...(rtpCapabilities ? { rtpCapabilities } : {}) }));
  if (role === 'specialist') specialists.set(room, peer);
  if (joined.admission === 'waiting') {
    const admitted = peer.next('admitted') as Promise<{ peers: PeerInfo[] }>;
    ok(await specialists.get(room)!.request('admit', { peerId: joined.self.id }));
    joined = { ...joined, admission: 'admitted', peers: (await admitted).peers };
  }
  return { peer, joined, send: joined.transports.send, recv: joined.transports.recv, join: seat.join };
}

describe('join and room lifecycle', () => {
  it('opens a router with the first participant and closes it with the last', async () => {
    const a = await joinedPeer('room-life', 'specialist');
    expect(a.joined.self.role).toBe('specialist');
    expect(a.joined.peers).toEqual([]);
    expect(a.joined.routerRtpCapabilities.codecs?.map((c) => c.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8']));

    const joinedSeen = a.peer.next('peerJoined');
    const b = await joinedPeer('room-life', 'client');
    expect(b.joined.peers.map((p) => p.role)).toEqual(['specialist']);
    expect(((await joinedSeen) as PeerInfo).role).toBe('client');
    expect(await roomState('room-life')).toMatchObject({ exists: true, transports: 4 });

    const leftSeen = b.peer.next('peerLeft');
    ok(await a.peer.request('leave'));
    expect(await leftSeen).toEqual({ peerId: a.joined.self.id });
    expect(await roomState('room-life')).toMatchObject({ exists: true, transports: 2 });

    b.peer.close(); // a lost connection counts as leaving
    await waitFor(async () => !(await roomState('room-life')).exists);
    expect(stack.signalling.rooms.get(roomId('room-life'))).toBeUndefined();
  });

  it('offers a producer to the other peer and relays audio-only state', async () => {
    const a = await joinedPeer('room-media', 'specialist');
    const b = await joinedPeer('room-media', 'client');
    ok(await b.peer.request('ready', { rtpCapabilities: b.joined.routerRtpCapabilities }));
    const offered = b.peer.next('newConsumer');
    const { producerId } = ok(
      await a.peer.request<{ producerId: string }>('produce', {
        transportId: a.send.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(1111),
        source: 'mic',
      }),
    );
    expect(await offered).toMatchObject({ producerId, peerId: a.joined.self.id, kind: 'audio', source: 'mic' });

    const updated = a.peer.next('peerUpdated');
    ok(await b.peer.request('setAudioOnly', { audioOnly: true }));
    expect(await updated).toMatchObject({ id: b.joined.self.id, audioOnly: true });

    const paused = b.peer.next('consumerPaused');
    ok(await a.peer.request('pauseProducer', { producerId }));
    await paused;
    const closed = b.peer.next('consumerClosed');
    ok(await a.peer.request('closeProducer', { producerId }));
    await closed;
    a.peer.close();
    b.peer.close();
  });
});

describe('joining in one round trip', () => {
  it("serves the routers' capabilities before any room exists, identical to a real router's", async () => {
    const res = await fetch(`${stack.url}/api/media/capabilities`);
    expect(res.status).toBe(200);
    const { routerRtpCapabilities } = MediaCapabilities.parse(await res.json());
    const a = await joinedPeer('room-caps', 'specialist');
    expect(a.joined.routerRtpCapabilities).toEqual(routerRtpCapabilities);
    a.peer.close();
  });

  it('offers existing producers right after a join that carried rtpCapabilities (no ready needed)', async () => {
    const a = await joinedPeer('room-fast', 'specialist');
    const { producerId } = ok(
      await a.peer.request<{ producerId: string }>('produce', {
        transportId: a.send.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(4242),
        source: 'mic',
      }),
    );
    // A client comes back within the resume grace (no waiting room then) with its capabilities.
    const first = await joinedPeer('room-fast', 'client');
    first.peer.close();
    const b = await connectPeer(stack);
    const offered = b.next('newConsumer');
    const caps = (await capabilities()).routerRtpCapabilities;
    const rejoin = await tokenFor(stack, 'room-fast', 'client');
    const participantId = first.joined.self.id;
    const token = stack.signalling.links.sign({ ...stack.signalling.links.verify(rejoin), participantId });
    const joined = ok(await b.request<Joined>('join', { token, rtpCapabilities: caps }));
    expect(joined.admission).toBe('admitted');
    expect(joined.transports.recv.id).toBeTruthy();
    expect(await offered).toMatchObject({ producerId, kind: 'audio' });
    a.peer.close();
    b.close();
  });
});

describe('bad input gets an error ack, never a crash', () => {
  let healthyA: Awaited<ReturnType<typeof joinedPeer>>;
  let healthyB: Awaited<ReturnType<typeof joinedPeer>>;
  let producerId: string;
  beforeAll(async () => {
    healthyA = await joinedPeer('room-healthy', 'specialist');
    healthyB = await joinedPeer('room-healthy', 'client');
    ({ producerId } = ok(
      await healthyA.peer.request<{ producerId: string }>('produce', {
        transportId: healthyA.send.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(9),
        source: 'mic',
      }),
    ));
  });
  afterAll(() => {
    healthyA.peer.close();
    healthyB.peer.close();
  });

  it('refuses room requests before join (out of order)', async () => {
    const p = await connectPeer(stack);
    for (const [event, payload] of [
      ['connectTransport', { transportId: 'x', dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] } }],
      ['ready', { rtpCapabilities: {} }],
      ['produce', { transportId: 'x', kind: 'audio', rtpParameters: opusRtpParameters(5), source: 'mic' }],
      ['leave', {}],
    ] as const) {
      expect(errorCode(await p.request(event, payload))).toBe('not_joined');
    }
    p.close();
  });

  it('refuses malformed, unknown and oversized messages', async () => {
    const p = await connectPeer(stack);
    expect(errorCode(await p.request('join', 42))).toBe('bad_request');
    expect(errorCode(await p.request('join', { token: 'short' }))).toBe('bad_request');
    expect(errorCode(await p.request('join', { token: 'a'.repeat(40), extra: 1 }))).toBe('bad_request');
    expect(errorCode(await p.request('becomeAdmin', {}))).toBe('unknown_event');
    expect(errorCode(await p.request('join', { token: 'x'.repeat(100_000) }))).toBe('payload_too_large');
    // Without an ack function the request is refused all the same and nothing breaks: the
    // connection stays, and the next request on it (handled after this one) is answered.
    let dropped: string | undefined;
    p.socket.once('disconnect', (reason) => (dropped = reason));
    p.socket.emit('join', { token: 'no ack function given' });
    expect(errorCode(await p.request('join', { token: 'short' }))).toBe('bad_request');
    expect(dropped).toBeUndefined();
    expect(p.socket.connected).toBe(true);
    p.close();
  });

  it('refuses forged, expired and foreign-room tokens', async () => {
    const p = await connectPeer(stack);
    const good = await tokenFor(stack, 'room-x', 'client');
    const forged = good.slice(0, -4) + (good.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(errorCode(await p.request('join', { token: forged }))).toBe('invalid_token');
    const expired = await tokenFor(stack, 'room-x', 'client', { ttlMs: -1000 });
    expect(errorCode(await p.request('join', { token: expired }))).toBe('link_expired');
    const res = await fetch(`${stack.url}/api/links/${forged}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_token' } });
    // A genuine link past its time says so (410), for the link page's «срок действия истёк».
    const old = await fetch(`${stack.url}/api/links/${expired}`);
    expect(old.status).toBe(410);
    expect(await old.json()).toMatchObject({ error: { code: 'link_expired' } });
    p.close();
  });

  it("refuses another peer's transport and producer ids", async () => {
    const intruder = await joinedPeer('room-healthy', 'client');
    const produceOnForeign = await intruder.peer.request('produce', {
      transportId: healthyA.send.id,
      kind: 'audio',
      rtpParameters: opusRtpParameters(7),
      source: 'mic',
    });
    expect(errorCode(produceOnForeign)).toBe('not_found');
    expect(
      errorCode(
        await intruder.peer.request('connectTransport', {
          transportId: healthyB.recv.id,
          dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] },
        }),
      ),
    ).toBe('not_found');
    expect(errorCode(await intruder.peer.request('closeProducer', { producerId }))).toBe('not_found');
    expect(
      errorCode(
        await intruder.peer.request('produce', {
          transportId: intruder.recv.id,
          kind: 'audio',
          rtpParameters: opusRtpParameters(8),
          source: 'mic',
        }),
      ),
    ).toBe('not_found');
    expect(
      errorCode(
        await intruder.peer.request('produce', {
          transportId: intruder.send.id,
          kind: 'video',
          rtpParameters: opusRtpParameters(8),
          source: 'mic',
        }),
      ),
    ).toBe('bad_request');
    expect(errorCode(await intruder.peer.request('join', { token: await tokenFor(stack, 'room-healthy', 'client') }))).toBe(
      'already_joined',
    );
    const intruderGone = healthyA.peer.next('peerLeft');
    intruder.peer.close();
    await intruderGone;
    // The SFU checks ownership too, whatever signalling forwards.
    await expect(
      stack.sfu.service.handlers.closeProducer({ roomId: roomId('room-healthy'), peerId: healthyB.joined.self.id, producerId }, 'test'),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      stack.sfu.service.handlers.createWebRtcTransport({ roomId: 'no-such-room', peerId: 'p', direction: 'send', forceTcp: false }, 'test'),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('leaves the healthy room working', async () => {
    const seen = healthyA.peer.next('peerUpdated');
    ok(await healthyB.peer.request('setAudioOnly', { audioOnly: true }));
    expect(await seen).toMatchObject({ id: healthyB.joined.self.id, audioOnly: true });
    expect(await roomState('room-healthy')).toMatchObject({ exists: true, transports: 4, producers: 1 });
    expect((await fetch(`${stack.url}/api/health`)).status).toBe(200);
  });
});

describe('the 60-minute limit', () => {
  it('is enforced by the room itself, even with no job: everyone is told why and the router closes', async () => {
    const endsAt = new Date(Date.now() + 1500);
    stack.signalling.rooms.getOrCreate(roomId('room-limit'), 'one_to_one', endsAt);
    const a = await joinedPeer('room-limit', 'specialist');
    expect(a.joined.room.endsAt).toBe(endsAt.toISOString());
    const warned = a.peer.next('timeWarning');
    stack.signalling.rooms.get(roomId('room-limit'))!.warn(5);
    expect(await warned).toEqual({ minutesLeft: 5, endsAt: endsAt.toISOString() });
    expect(await a.peer.next('roomClosed', 5000)).toEqual({ reason: 'time_limit' });
    expect(Date.now()).toBeGreaterThanOrEqual(endsAt.getTime());
    await waitFor(async () => !(await roomState('room-limit')).exists);
    a.peer.close();
  });
});

describe('a dying worker', () => {
  it('is replaced, and its rooms are told to reconnect; whoever was let in comes back without waiting again', async () => {
    const a = await joinedPeer('room-crash', 'specialist');
    const c = await joinedPeer('room-crash', 'client'); // let in by the specialist
    const before = (await stack.sfu.service.handlers.nodeInfo({}, 'test')).workers.map((w) => w.pid);
    const reset = a.peer.next('mediaReset');
    const clientReset = c.peer.next('mediaReset');
    process.kill(before[0]!, 'SIGKILL');
    expect(await reset).toEqual({ reason: 'worker_died' });
    expect(await clientReset).toEqual({ reason: 'worker_died' });
    await waitFor(async () => {
      const now = (await stack.sfu.service.handlers.nodeInfo({}, 'test')).workers;
      return now.length === 1 && now[0]!.pid !== before[0];
    });
    expect(stack.signalling.rooms.get(roomId('room-crash'))).toBeUndefined();
    expect((await roomState('room-crash')).exists).toBe(false);
    // The client re-joins first, on the same connection: the new room knows it was let in.
    const clientAgain = ok(await c.peer.request<Joined>('join', c.join));
    expect(clientAgain.admission).toBe('admitted');
    expect(clientAgain.self.role).toBe('client');
    const again = ok(await a.peer.request<Joined>('join', a.join));
    expect(again.self.role).toBe('specialist');
    expect(again.admission).toBe('admitted');
    expect(again.peers.map((p) => p.id)).toEqual([clientAgain.self.id]);
    expect((await roomState('room-crash')).exists).toBe(true);
    a.peer.close();
    c.peer.close();
  }, 20_000);
});
