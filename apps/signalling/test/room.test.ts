// The room's rules in-process: no network, no SFU, no database — a fake SFU behind RoomSfu,
// fake RoomRecords and PeerChannels, and a manual clock, so the resume grace and the
// 60-minute limit take milliseconds. (Model: LiveKit's pkg/rtc/room_test.go.) The same
// rules on the real stack: room-signalling, room-kinds, access/room-roles, end-consultation.
import { describe, expect, it } from '@jest/globals';
import {
  ProtocolError,
  RESUME_GRACE_MS,
  type ChatMessage,
  type NewConsumer,
  type RoomKind,
  type RoomRole,
  type ServerEvents,
  type SfuRequest,
  type SfuResponse,
} from '@dp/protocol';
import { pino } from 'pino';
import type { Clock } from '../src/rooms/clock.ts';
import type { PeerChannel } from '../src/rooms/peer.ts';
import { Room } from '../src/rooms/room.ts';
import type { RoomSfu, RoomSfuMethod } from '../src/rooms/room-sfu.ts';
import type { RoomRecords } from '../src/rooms/room-store.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 7, 0);

/** Time moves only when the test says so; due callbacks run in order of their due time. */
class ManualClock implements Clock {
  private t = T0;
  private timers: { due: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  now(): number {
    return this.t;
  }
  after(ms: number, fn: () => void): { cancel(): void } {
    const timer = { due: this.t + Math.max(0, ms), fn, id: this.seq++ };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((x) => x !== timer)) };
  }
  /** Moves the clock by `ms`, running every callback that falls due (and what those start). */
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      const next = this.timers.filter((x) => x.due <= until).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = next.due;
      next.fn();
      await settle();
    }
    this.t = until;
    await settle();
  }
}

/** Lets the promise chains the room started run to their end. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const transport = (id: string): SfuResponse<'createWebRtcTransport'> => ({
  id,
  iceParameters: { usernameFragment: 'u', password: 'p' },
  iceCandidates: [],
  dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] },
});
const opus = { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }] };
const caps = { codecs: [], headerExtensions: [] };

/** Answers what the room asks and remembers it. */
class FakeSfu implements RoomSfu {
  connected = true;
  readonly calls: { method: RoomSfuMethod; data: Record<string, unknown> }[] = [];
  private n = 0;
  async request<M extends RoomSfuMethod>(method: M, data: SfuRequest<M>): Promise<SfuResponse<M>> {
    this.calls.push({ method, data: data as Record<string, unknown> });
    const id = `${method}-${++this.n}`;
    const answers: { [K in RoomSfuMethod]?: () => SfuResponse<K> } = {
      openRouter: () => ({ rtpCapabilities: caps, workerPid: 1 }),
      closeRouter: () => ({ closed: true }),
      createWebRtcTransport: () => transport(id),
      produce: () => ({ producerId: id }),
      consume: () => ({ consumerId: id, kind: 'audio', rtpParameters: opus, producerPaused: false }),
      restartIce: () => ({ iceParameters: { usernameFragment: `u-${id}`, password: `p-${id}` } }),
    };
    return (answers[method]?.() ?? {}) as SfuResponse<M>;
  }
  called(method: RoomSfuMethod): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.data);
  }
}

/** The record in memory: what the room wrote, in order. */
class FakeRecords implements RoomRecords {
  readonly log: string[] = [];
  /** Set to make `ended` by staff refuse (the lifecycle says the consultation has not begun). */
  refuseEnd: ProtocolError | undefined;
  private numbers = new Map<string, number>();
  async ended(by: 'staff' | 'limit', actor: string | null) {
    await settle(); // a database round trip: whatever the room does meanwhile must not matter
    if (by === 'staff' && this.refuseEnd) throw this.refuseEnd;
    this.log.push(`ended:${by}:${actor ?? '-'}`);
  }
  async entered(id: string) {
    this.log.push(`entered:${id}`);
  }
  /** Each finished stay's audio-only milliseconds, by participant. */
  readonly audioOnly = new Map<string, number>();
  async exited(id: string, audioOnlyMs: number) {
    this.log.push(`exited:${id}`);
    this.audioOnly.set(id, audioOnlyMs);
  }
  async removed(id: string) {
    this.log.push(`removed:${id}`);
  }
  async attendeeNumber(id: string) {
    if (!this.numbers.has(id)) this.numbers.set(id, this.numbers.size + 1);
    return this.numbers.get(id)!;
  }
  async chatHistory(): Promise<ChatMessage[]> {
    return [];
  }
  async saveChat(m: Parameters<RoomRecords['saveChat']>[0]): Promise<ChatMessage> {
    return {
      id: 'm1',
      peerId: m.participantId,
      role: m.role,
      label: m.label,
      number: null,
      kind: m.kind,
      text: m.text,
      url: m.url,
      answered: false,
      at: '',
    };
  }
  async markAnswered(): Promise<ChatMessage | null> {
    return null;
  }
}

type Emitted = { event: keyof ServerEvents; data: unknown };

/** One participant's browser: everything the room told it. */
class FakeChannel implements PeerChannel {
  readonly got: Emitted[] = [];
  emit<E extends Exclude<keyof ServerEvents, 'newConsumer'>>(event: E, ...args: Parameters<ServerEvents[E]>): void {
    this.got.push({ event, data: args[0] });
  }
  async offerConsumer(data: NewConsumer): Promise<boolean> {
    this.got.push({ event: 'newConsumer', data });
    return true;
  }
  events(name: keyof ServerEvents): unknown[] {
    return this.got.filter((e) => e.event === name).map((e) => e.data);
  }
}

function world(kind: RoomKind, opts: { endsAt?: Date; bookedEndsAt?: Date } = {}) {
  const clock = new ManualClock();
  const sfu = new FakeSfu();
  const records = new FakeRecords();
  const closed: (string | undefined)[] = [];
  const room = new Room({
    id: 'c1',
    kind,
    sfu,
    records,
    clock,
    log: pino({ level: 'silent' }),
    onClosed: (_room, reason) => closed.push(reason),
    ...opts,
  });
  const join = async (id: string, role: RoomRole) => {
    const channel = new FakeChannel();
    const { peer, result } = await room.join(id, role, `label ${id}`, channel, { forceTcp: false, rtpCapabilities: caps });
    return { peer, result, channel };
  };
  return { clock, sfu, records, room, closed, join };
}

const codeOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ProtocolError ? e.code : `thrown: ${String(e)}`),
  );

describe('admission: the waiting room of a one-to-one', () => {
  it('a client waits unseen until the specialist admits it; then both see each other and its stay is recorded', async () => {
    const { room, records, join } = world('one_to_one');
    const client = await join('client', 'client');
    expect(client.result.admission).toBe('waiting');
    expect(client.result.peers).toEqual([]);
    expect(client.result.admitterPresent).toBe(false);
    // Waiting: it may not send.
    expect(await codeOf(room.media.produce(client.peer, client.result.transports.send.id, 'audio', opus, 'mic'))).toBe('not_admitted');

    const specialist = await join('spec', 'specialist');
    expect(specialist.result.admission).toBe('admitted');
    expect(specialist.result.waiting.map((w) => w.id)).toEqual(['client']);
    expect(specialist.result.peers).toEqual([]); // a waiting client is not in the room
    expect(client.channel.events('admitterPresence')).toEqual([{ present: true }]);
    expect(records.log).toEqual(['entered:spec']);

    // The client cannot let anyone in.
    expect(await codeOf(room.admit(client.peer, 'spec'))).toBe('not_admitted');
    await room.admit(specialist.peer, 'client');
    const admitted = client.channel.events('admitted') as { peers: { id: string }[] }[];
    expect(admitted.map((a) => a.peers.map((p) => p.id))).toEqual([['spec']]);
    expect((specialist.channel.events('peerJoined') as { id: string }[]).map((p) => p.id)).toEqual(['client']);
    expect(specialist.channel.events('waitingChanged').at(-1)).toEqual({ waiting: [] });
    expect(records.log).toEqual(['entered:spec', 'entered:client']);
    expect(await codeOf(room.media.produce(client.peer, client.result.transports.send.id, 'audio', opus, 'mic'))).toBe('ok');
  });

  it('a declined client is told, leaves the waiting room (the room stays), and may knock again', async () => {
    const { room, sfu, records, join } = world('one_to_one');
    const specialist = await join('spec', 'specialist');
    const client = await join('client', 'client');
    expect(specialist.channel.events('waitingChanged').at(-1)).toMatchObject({ waiting: [{ id: 'client' }] });
    await room.decline(specialist.peer, 'client');
    expect(client.channel.events('declined')).toEqual([{}]);
    expect(specialist.channel.events('waitingChanged').at(-1)).toEqual({ waiting: [] });
    expect(room.has(client.peer)).toBe(false);
    expect(sfu.called('closePeer')).toContainEqual({ roomId: 'c1', peerId: 'client' });
    expect(room.phase).toBe('open');
    expect(records.log).toEqual(['entered:spec']); // a waiting client never had a stay
    expect(await codeOf(room.decline(specialist.peer, 'client'))).toBe('not_found');
    expect((await join('client', 'client')).result.admission).toBe('waiting');
  });
});

describe('the floor of a webinar', () => {
  it('an attendee speaks only when the host gives the floor; taking it back closes its media at the server', async () => {
    const { room, sfu, join } = world('webinar');
    const host = await join('host', 'host');
    const a1 = await join('a1', 'attendee');
    const a2 = await join('a2', 'attendee');
    expect(a1.result.admission).toBe('admitted');
    expect(a2.result.peers.map((p) => p.id)).toEqual(['host']); // attendees do not see each other
    const send = a1.result.transports.send.id;
    expect(await codeOf(room.media.produce(a1.peer, send, 'audio', opus, 'mic'))).toBe('forbidden');
    expect(await codeOf(room.floor.grantFloor(a2.peer, 'a1', false))).toBe('forbidden'); // an attendee moderates nobody

    await room.floor.grantFloor(host.peer, 'a1', false);
    expect(a1.peer.floor).toBe('mic');
    // The other attendee now sees the speaker — as «Участник N», without the name.
    expect(a2.channel.events('peerUpdated').at(-1)).toMatchObject({ id: 'a1', floor: 'mic', label: '', number: 1 });
    expect(await codeOf(room.media.produce(a1.peer, send, 'video', opus, 'camera'))).toBe('forbidden'); // microphone only
    const micId = await room.media.produce(a1.peer, send, 'audio', opus, 'mic');

    await room.floor.revokeFloor(host.peer, 'a1');
    expect(a1.peer.floor).toBe('none');
    expect(a1.channel.events('mediaStopped')).toEqual([{ producerId: micId, source: 'mic', reason: 'floor_revoked' }]);
    expect(sfu.called('closeProducer')).toEqual([{ roomId: 'c1', peerId: 'a1', producerId: micId }]);
    expect(a1.peer.producers.size).toBe(0);
    expect(a2.channel.events('peerLeft')).toEqual([{ peerId: 'a1' }]); // out of sight again
    expect(await codeOf(room.media.produce(a1.peer, send, 'audio', opus, 'mic'))).toBe('forbidden');
  });

  it('a raised hand is lowered by the floor; only attendees raise hands', async () => {
    const { room, join } = world('webinar');
    const host = await join('host', 'host');
    const a1 = await join('a1', 'attendee');
    room.floor.raiseHand(a1.peer, true);
    expect(host.channel.events('peerUpdated').at(-1)).toMatchObject({ id: 'a1', hand: true });
    expect(() => room.floor.raiseHand(host.peer, true)).toThrow(ProtocolError);
    await room.floor.grantFloor(host.peer, 'a1', true);
    expect(a1.peer.info()).toMatchObject({ floor: 'full', hand: false });
  });
});

describe('fast admission: the receive path connects while the client waits', () => {
  it("a waiting client is offered the specialist's media held paused; «Впустить» resumes them, nothing earlier", async () => {
    const { room, sfu, join } = world('one_to_one');
    const specialist = await join('spec', 'specialist');
    await room.media.produce(specialist.peer, specialist.peer.sendTransportId!, 'audio', opus, 'mic');
    const client = await join('client', 'client');
    room.media.offerExisting(client.peer);
    await settle();
    // Offered (its browser sets it up and so connects ICE + DTLS), held paused on the SFU.
    expect(client.channel.events('newConsumer')).toHaveLength(1);
    const resumedFor = () => sfu.called('setConsumerPaused').filter((c) => c['peerId'] === 'client' && c['paused'] === false);
    expect(resumedFor()).toEqual([]);
    expect(client.result.peers).toEqual([]); // still sees no one
    await room.admit(specialist.peer, 'client');
    await settle();
    expect(resumedFor()).toHaveLength(1);
    // Nothing is offered twice after admission.
    room.media.offerExisting(client.peer);
    await settle();
    expect(client.channel.events('newConsumer')).toHaveLength(1);
  });
});

describe('resume within the grace', () => {
  async function admittedPair() {
    const w = world('one_to_one');
    const specialist = await w.join('spec', 'specialist');
    const client = await w.join('client', 'client');
    await w.room.admit(specialist.peer, 'client');
    return { ...w, specialist, client };
  }

  it('back on its own transports: ICE restarts in place — same transports, media kept, no new stay', async () => {
    const { room, sfu, records, specialist, client } = await admittedPair();
    await room.media.produce(specialist.peer, specialist.peer.sendTransportId!, 'audio', opus, 'mic');
    const ids = { send: client.peer.sendTransportId!, recv: client.peer.recvTransportId! };
    const created = sfu.called('createWebRtcTransport').length;
    await room.disconnected(client.peer, client.channel);
    // Nothing of its media is closed while it is away: the SFU keeps it for the grace.
    expect(sfu.called('closePeer')).toEqual([]);
    expect(specialist.channel.events('peerUpdated').at(-1)).toMatchObject({ id: 'client', away: true });
    const channel = new FakeChannel();
    const back = await room.join('client', 'client', 'label client', channel, { forceTcp: false, rtpCapabilities: caps, resume: ids });
    expect(back.peer).toBe(client.peer);
    expect(back.result.admission).toBe('admitted');
    expect(back.result.transports.send.id).toBe(ids.send);
    expect(back.result.transports.recv.id).toBe(ids.recv);
    expect(back.result.transports.send.iceParameters.usernameFragment).toMatch(/^u-restartIce/);
    expect(back.result.resumed?.consumers.length).toBe(1);
    expect(sfu.called('createWebRtcTransport').length).toBe(created);
    expect(
      sfu
        .called('restartIce')
        .map((c) => c['transportId'])
        .sort(),
    ).toEqual([ids.send, ids.recv].sort());
    expect(specialist.channel.events('peerUpdated').at(-1)).toMatchObject({ id: 'client', away: false });
    // The old socket's loss, noticed late, does not touch the resumed self.
    await room.disconnected(client.peer, client.channel);
    expect(client.peer.away).toBe(false);
    expect(records.log).toEqual(['entered:spec', 'entered:client']);
  });

  it('a produce whose answer was lost: the next one of that source replaces the orphan, not refused', async () => {
    const { room, sfu, specialist, client } = await admittedPair();
    const send = client.peer.sendTransportId!;
    const orphan = await room.media.produce(client.peer, send, 'audio', opus, 'mic');
    // The page never heard of `orphan` (its socket dropped) and asks again on the resumed session.
    const mic = await room.media.produce(client.peer, send, 'audio', opus, 'mic');
    expect(mic).not.toBe(orphan);
    expect([...client.peer.producers.keys()]).toEqual([mic]);
    expect(sfu.called('closeProducer')).toEqual([expect.objectContaining({ producerId: orphan })]);
    expect(specialist.channel.events('peerUpdated').at(-1)).toMatchObject({ id: 'client', mic: true });
  });

  it('a resume with transports it does not own is a fresh join', async () => {
    const { room, sfu, client } = await admittedPair();
    await room.disconnected(client.peer, client.channel);
    const back = await room.join('client', 'client', 'label client', new FakeChannel(), {
      forceTcp: false,
      rtpCapabilities: caps,
      resume: { send: 'other-send', recv: 'other-recv' },
    });
    expect(back.result.resumed).toBeUndefined();
    expect(back.result.transports.send.id).not.toBe(client.peer.sendTransportId);
    expect(sfu.called('restartIce')).toEqual([]);
  });

  it("a transport's ICE path down at the SFU shows the peer as away to the others until it is back", async () => {
    const { room, specialist, client } = await admittedPair();
    room.linkChanged('client', client.peer.recvTransportId!, false);
    expect(specialist.channel.events('peerUpdated').at(-1)).toMatchObject({ id: 'client', away: true });
    room.linkChanged('client', 'not-its-transport', true);
    expect(client.peer.info().away).toBe(true);
    room.linkChanged('client', client.peer.recvTransportId!, true);
    expect(specialist.channel.events('peerUpdated').at(-1)).toMatchObject({ id: 'client', away: false });
  });

  it('a lost connection keeps the place: back within 30 s, straight in, and the others never see a leave', async () => {
    const { room, clock, records, specialist, client, join } = await admittedPair();
    await room.disconnected(client.peer);
    expect(specialist.channel.events('peerUpdated').at(-1)).toMatchObject({ id: 'client', away: true });
    await clock.advance(RESUME_GRACE_MS - 1);
    const back = await join('client', 'client');
    expect(back.result.admission).toBe('admitted');
    expect(back.result.peers.map((p) => p.id)).toEqual(['spec']);
    await clock.advance(RESUME_GRACE_MS); // the old away timer must not take the new self out
    expect(specialist.channel.events('peerLeft')).toEqual([]);
    expect(room.has(back.peer)).toBe(true);
    expect(records.log).toEqual(['entered:spec', 'entered:client']); // one stay, not two
  });

  it('not after: at 30 s away the participant has left, and once the grace is over it waits to be let in again', async () => {
    const { room, clock, records, specialist, client, join } = await admittedPair();
    await room.disconnected(client.peer);
    await clock.advance(RESUME_GRACE_MS);
    expect(specialist.channel.events('peerLeft')).toEqual([{ peerId: 'client' }]);
    expect(records.log).toEqual(['entered:spec', 'entered:client', 'exited:client']);
    await clock.advance(RESUME_GRACE_MS);
    expect((await join('client', 'client')).result.admission).toBe('waiting');
  });

  it('«Выйти» and back within the grace skips the wait; the floor comes back too', async () => {
    const { room, clock, join } = world('webinar');
    const host = await join('host', 'host');
    const a1 = await join('a1', 'attendee');
    await room.floor.grantFloor(host.peer, 'a1', true);
    await room.leave(a1.peer);
    await clock.advance(RESUME_GRACE_MS - 1);
    expect((await join('a1', 'attendee')).peer.floor).toBe('full');
    await room.leave(room.members().find((m) => m.peer.id === 'a1')!.peer);
    await clock.advance(RESUME_GRACE_MS + 1);
    expect((await join('a1', 'attendee')).peer.floor).toBe('none');
  });
});

describe('audio-only time of a stay (the journal: online audio only)', () => {
  it('counts «Только звук» and a stay without a camera; a resume within the grace continues the count', async () => {
    const { room, clock, records, join } = world('one_to_one');
    const specialist = await join('spec', 'specialist'); // never sends a camera: audio only throughout
    const client = await join('client', 'client');
    await clock.advance(1 * MIN); // waiting is not counted
    await room.admit(specialist.peer, 'client');
    await room.media.produce(client.peer, client.result.transports.send.id, 'video', opus, 'camera');
    await clock.advance(5 * MIN);
    await room.media.setAudioOnly(client.peer, true);
    await clock.advance(3 * MIN);
    await room.disconnected(client.peer); // away: not audio only, the stay goes on
    await clock.advance(10_000);
    const back = await join('client', 'client');
    await room.media.setAudioOnly(back.peer, true);
    await clock.advance(2 * MIN);
    await room.media.setAudioOnly(back.peer, false);
    await room.media.produce(back.peer, back.result.transports.send.id, 'video', opus, 'camera');
    await clock.advance(4 * MIN);
    await room.leave(back.peer);
    expect(records.audioOnly.get('client')).toBe(5 * MIN);
    await clock.advance(1 * MIN);
    await room.leave(specialist.peer);
    expect(records.audioOnly.get('spec')).toBe(1 * MIN + 5 * MIN + 3 * MIN + 10_000 + 2 * MIN + 4 * MIN + 1 * MIN);
    expect(records.log.filter((l) => l === 'entered:client')).toHaveLength(1); // one stay
  });
});

describe('the 60-minute limit', () => {
  it('warns everyone (the waiting room too), then closes itself at the cap and records the limit', async () => {
    const endsAt = new Date(T0 + 60 * MIN);
    const bookedEndsAt = new Date(T0 + 45 * MIN);
    const { room, clock, sfu, records, closed, join } = world('one_to_one', { endsAt, bookedEndsAt });
    const specialist = await join('spec', 'specialist');
    const client = await join('client', 'client');
    expect(specialist.result.room).toEqual({
      id: 'c1',
      kind: 'one_to_one',
      endsAt: endsAt.toISOString(),
      bookedEndsAt: bookedEndsAt.toISOString(),
    });

    room.warn(10);
    for (const who of [specialist, client])
      expect(who.channel.events('timeWarning')).toEqual([{ minutesLeft: 10, endsAt: endsAt.toISOString() }]);

    await clock.advance(60 * MIN - 1);
    expect(room.phase).toBe('open');
    expect(specialist.channel.events('roomClosed')).toEqual([]);
    await clock.advance(1);
    expect(room.phase).toBe('closed');
    for (const who of [specialist, client]) expect(who.channel.events('roomClosed')).toEqual([{ reason: 'time_limit' }]);
    expect(records.log).toEqual(['entered:spec', 'exited:spec', 'ended:limit:-']);
    expect(closed).toEqual(['time_limit']);
    expect(sfu.called('closeRouter')).toEqual([{ roomId: 'c1' }]);

    // Over: no warnings, no entry, and a second close changes nothing.
    room.warn(5);
    expect(specialist.channel.events('timeWarning')).toHaveLength(1);
    expect(await codeOf(join('spec', 'specialist'))).toBe('room_closed');
    await room.close('time_limit');
    expect(closed).toEqual(['time_limit']);
    expect(records.log.filter((l) => l.startsWith('ended'))).toHaveLength(1);
  });

  it('a room opened after its cap closes at once', async () => {
    const { room, clock } = world('one_to_one', { endsAt: new Date(T0 - 1) });
    await clock.advance(0);
    expect(room.phase).toBe('closed');
  });
});

describe('ending by staff («Завершить консультацию»)', () => {
  it('the specialist ends it for everyone (the waiting room too); the end is recorded before the room closes', async () => {
    const { room, records, closed, join } = world('one_to_one');
    const specialist = await join('spec', 'specialist');
    const client = await join('client', 'client');
    await room.admit(specialist.peer, 'client');
    const late = await join('late', 'client');

    expect(await codeOf(room.endConsultation(client.peer))).toBe('forbidden');
    expect(room.phase).toBe('open');
    expect(records.log).not.toContainEqual(expect.stringMatching(/^ended/));

    await room.endConsultation(specialist.peer);
    expect(room.phase).toBe('closed');
    for (const who of [specialist, client, late]) expect(who.channel.events('roomClosed')).toEqual([{ reason: 'ended' }]);
    expect(records.log.slice(2)).toEqual(['ended:staff:spec', 'exited:spec', 'exited:client']);
    expect(closed).toEqual(['ended']);

    // Again (a retry, a second member of staff): the same answer, nothing more happens.
    await room.endConsultation(specialist.peer);
    expect(records.log.filter((l) => l.startsWith('ended'))).toHaveLength(1);
    expect(client.channel.events('roomClosed')).toHaveLength(1);
    expect(await codeOf(join('client', 'client'))).toBe('room_closed');
  });

  it('two at once end it once', async () => {
    const { room, records, join } = world('dyad');
    const curator = await join('cur', 'curator');
    await Promise.all([room.endConsultation(curator.peer), room.endConsultation(curator.peer)]);
    expect(records.log.filter((l) => l.startsWith('ended'))).toEqual(['ended:staff:cur']);
    expect(curator.channel.events('roomClosed')).toEqual([{ reason: 'ended' }]);
  });

  it('a host ends a webinar; a co-host and an attendee may not', async () => {
    const { room, join } = world('webinar');
    const host = await join('host', 'host');
    const cohost = await join('co', 'cohost');
    const attendee = await join('a1', 'attendee');
    expect(await codeOf(room.endConsultation(cohost.peer))).toBe('forbidden');
    expect(await codeOf(room.endConsultation(attendee.peer))).toBe('forbidden');
    expect(room.phase).toBe('open');
    await room.endConsultation(host.peer);
    expect(attendee.channel.events('roomClosed')).toEqual([{ reason: 'ended' }]);
  });

  it('when the record refuses the end (not begun yet), the room stays open and a later try works', async () => {
    const { room, records, join } = world('one_to_one');
    const specialist = await join('spec', 'specialist');
    records.refuseEnd = new ProtocolError('forbidden', 'a consultation that is precheck cannot take the step closed_without_client');
    expect(await codeOf(room.endConsultation(specialist.peer))).toBe('forbidden');
    expect(room.phase).toBe('open');
    expect(specialist.channel.events('roomClosed')).toEqual([]);
    records.refuseEnd = undefined;
    await room.endConsultation(specialist.peer);
    expect(specialist.channel.events('roomClosed')).toEqual([{ reason: 'ended' }]);
  });

  it('the limit striking while the end is being recorded closes the room once', async () => {
    const { room, clock, records, join } = world('one_to_one', { endsAt: new Date(T0 + 60 * MIN) });
    const specialist = await join('spec', 'specialist');
    await clock.advance(60 * MIN - 1);
    const ending = room.endConsultation(specialist.peer);
    await clock.advance(1);
    await ending;
    expect(specialist.channel.events('roomClosed')).toHaveLength(1);
    expect(room.phase).toBe('closed');
    expect(records.log.filter((l) => l.startsWith('ended'))).toEqual(['ended:staff:spec', 'ended:limit:-']);
  });
});
