// The three kinds of room at the signalling level, against a real SFU: what each role may
// do, and — for every action a role may not take — an error ack and no effect.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChatMessage, PeerInfo, RequestResult, RoomKind, RoomRole } from '@dp/protocol';
import {
  connectPeer,
  connectSeat,
  errorCode,
  ok,
  opusRtpParameters,
  roomId,
  seatFor,
  signedInAs,
  startStack,
  TEST_RESUME_GRACE_MS,
  waitFor,
  type Seat,
  type Stack,
  type TestPeer,
} from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(23400);
}, 60_000);
afterAll(async () => {
  await stack?.close();
}, 30_000);

type Joined = RequestResult<'join'>;
interface In {
  peer: TestPeer;
  joined: Joined;
  id: string;
  /** How it entered (a client's link, or staff signed in): entering again uses the same. */
  seat: Seat;
  /** A client's link ('' for staff). */
  token: string;
}

const vp8RtpParameters = (ssrc: number) => ({
  mid: '1',
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc }],
  rtcp: { cname: `v${ssrc}`, reducedSize: true },
});

let ssrc = 5000;
const produce = (p: In, source: 'mic' | 'camera' | 'screen') =>
  p.peer.request<{ producerId: string }>('produce', {
    transportId: p.joined.transports.send.id,
    kind: source === 'mic' ? 'audio' : 'video',
    rtpParameters: source === 'mic' ? opusRtpParameters(++ssrc) : vp8RtpParameters(++ssrc),
    source,
  });

const roomState = (name: string) => stack.sfu.service.handlers.roomState({ roomId: roomId(name) }, 'test');

async function enter(
  room: string,
  role: RoomRole,
  kind: RoomKind,
  opts: { seat?: Seat; ready?: boolean; label?: string } = {},
): Promise<In> {
  const seat = opts.seat ?? (await seatFor(stack, room, role, { kind, ...(opts.label ? { displayName: opts.label } : {}) }));
  const peer = await connectSeat(stack, seat);
  const joined = ok(await peer.request<Joined>('join', seat.join));
  if (opts.ready !== false) ok(await peer.request('ready', { rtpCapabilities: joined.routerRtpCapabilities }));
  return { peer, joined, id: joined.self.id, seat, token: 'token' in seat.join ? seat.join.token : '' };
}

/** Collects every event of a kind a peer receives from now on. */
function collect<T>(p: TestPeer, event: string): T[] {
  const seen: T[] = [];
  p.socket.on(event, (d: T) => seen.push(d));
  return seen;
}

/**
 * A round trip on the peer's own connection (a request the server answers at once, with no
 * effect): once it is back, every event the server had sent this peer before has arrived
 * (one connection keeps its order), so «nothing came» can be asserted without a pause.
 */
async function delivered(p: TestPeer): Promise<void> {
  expect(errorCode(await p.request('roundTrip', {}))).toBe('unknown_event');
}

describe('one-to-one: the waiting room', () => {
  const room = 'o2o-wait';
  let specialist: In;
  let client: In;

  it('a client who comes first waits, sees nobody, and learns when the specialist arrives', async () => {
    client = await enter(room, 'client', 'one_to_one', { label: 'Мама Маши' });
    expect(client.joined.admission).toBe('waiting');
    expect(client.joined.admitterPresent).toBe(false);
    expect(client.joined.peers).toEqual([]);
    expect(client.joined.chat).toEqual([]);
    const presence = client.peer.next('admitterPresence');
    specialist = await enter(room, 'specialist', 'one_to_one');
    expect(specialist.joined.admission).toBe('admitted');
    expect(specialist.joined.peers).toEqual([]); // a waiting client is not in the room
    expect(specialist.joined.waiting).toEqual([expect.objectContaining({ id: client.id, label: 'Мама Маши' })]);
    expect(await presence).toEqual({ present: true });
  });

  it('while waiting the client may not send, chat or act: not_admitted, and nothing reaches the SFU', async () => {
    expect(errorCode(await produce(client, 'mic'))).toBe('not_admitted');
    expect(errorCode(await client.peer.request('sendChat', { text: 'Можно войти?' }))).toBe('not_admitted');
    expect(errorCode(await client.peer.request('setAudioOnly', { audioOnly: true }))).toBe('not_admitted');
    expect(errorCode(await client.peer.request('admit', { peerId: client.id }))).toBe('not_admitted');
    expect(await roomState(room)).toMatchObject({ producers: 0, consumers: 0 });
  });

  it('only the specialist admits: a client cannot, and an unknown id is not found', async () => {
    expect(errorCode(await specialist.peer.request('admit', { peerId: 'nobody' }))).toBe('not_found');
    const admitted = client.peer.next('admitted') as Promise<{ peers: PeerInfo[]; chat: ChatMessage[] }>;
    const joinedSeen = specialist.peer.next('peerJoined');
    const waitingNow = specialist.peer.next('waitingChanged');
    ok(await specialist.peer.request('admit', { peerId: client.id }));
    expect((await admitted).peers.map((p) => p.role)).toEqual(['specialist']);
    expect(await joinedSeen).toMatchObject({ id: client.id, role: 'client', label: 'Мама Маши' });
    expect(await waitingNow).toEqual({ waiting: [] });
    expect(errorCode(await client.peer.request('admit', { peerId: specialist.id }))).toBe('forbidden');
    expect(errorCode(await client.peer.request('decline', { peerId: specialist.id }))).toBe('forbidden');
  });

  it('once in, a client sends media; a specialist may share a screen, a client may not', async () => {
    const offered = specialist.peer.next('newConsumer');
    ok(await produce(client, 'mic'));
    expect(await offered).toMatchObject({ peerId: client.id, source: 'mic' });
    ok(await produce(specialist, 'screen'));
    expect(errorCode(await produce(client, 'screen'))).toBe('forbidden');
  });

  it('a client has none of the webinar or dyad powers', async () => {
    for (const [event, payload] of [
      ['raiseHand', { raised: true }],
      ['grantFloor', { peerId: specialist.id, camera: true }],
      ['revokeFloor', { peerId: specialist.id }],
      ['mutePeer', { peerId: specialist.id }],
      ['removePeer', { peerId: specialist.id }],
      ['stepIn', {}],
      ['stepOut', {}],
      ['markAnswered', { messageId: '019a0000-0000-7000-8000-000000000000' }],
      ['postMaterial', { title: 'Памятка', url: 'https://example.org/a.pdf' }],
    ] as const) {
      expect([event, errorCode(await client.peer.request(event, payload))]).toEqual([event, 'forbidden']);
    }
    // …and the specialist none of a host's: nobody was muted or removed.
    expect(errorCode(await specialist.peer.request('mutePeer', { peerId: client.id }))).toBe('forbidden');
    expect(errorCode(await specialist.peer.request('removePeer', { peerId: client.id }))).toBe('forbidden');
    expect(await roomState(room)).toMatchObject({ producers: 2 });
  });

  it('questions are for webinars; a material needs an http(s) link', async () => {
    expect(errorCode(await client.peer.request('sendChat', { text: 'Вопрос', question: true }))).toBe('bad_request');
    expect(errorCode(await specialist.peer.request('postMaterial', { title: 'x', url: 'javascript:alert(1)' }))).toBe('bad_request');
    expect(errorCode(await specialist.peer.request('sendChat', { text: '   ' }))).toBe('bad_request');
  });

  it('chat reaches the other side, is stored with the consultation, and greets a later joiner', async () => {
    const got = specialist.peer.next('chatMessage');
    const sent = ok(await client.peer.request<{ message: ChatMessage }>('sendChat', { text: 'Здравствуйте!' }));
    expect(await got).toEqual(sent.message);
    expect(sent.message).toMatchObject({ kind: 'message', role: 'client', label: 'Мама Маши', text: 'Здравствуйте!', answered: false });
    const material = ok(
      await specialist.peer.request<{ message: ChatMessage }>('postMaterial', { title: 'Памятка', url: 'https://example.org/a.pdf' }),
    );
    expect(material.message).toMatchObject({ kind: 'material', url: 'https://example.org/a.pdf' });
    const rows = await stack.signalling.prisma.roomMessage.findMany({
      where: { consultationId: roomId(room) },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows.map((r) => [r.kind, r.body])).toEqual([
      ['message', 'Здравствуйте!'],
      ['material', 'Памятка'],
    ]);
  });

  it('floods of chat are cut off with rate_limited', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const ack = await client.peer.request('sendChat', { text: `сообщение ${i}` });
      codes.push(ack.ok ? 'ok' : ack.error.code);
    }
    expect(codes).toContain('rate_limited');
  });

  it('a lost connection keeps the place: the other side sees «away», not a leave, and the return skips the waiting room', async () => {
    const left = collect(specialist.peer, 'peerLeft');
    const away = specialist.peer.next('peerUpdated');
    client.peer.close();
    // Its media stay on the SFU for the grace (a resume restarts ICE on them): only `away` changes.
    expect(await away).toMatchObject({ id: client.id, away: true });
    const back = await enter(room, 'client', 'one_to_one', { seat: client.seat });
    expect(back.joined.admission).toBe('admitted');
    expect(back.joined.peers.map((p) => p.id)).toEqual([specialist.id]);
    expect(back.joined.chat.map((m) => m.text)).toContain('Здравствуйте!');
    await delivered(specialist.peer);
    expect(left).toEqual([]);
    client = back;
  });

  it('declining sends the client back; it may ask again and wait again', async () => {
    const second = await enter(room, 'client', 'one_to_one');
    expect(second.joined.admission).toBe('waiting');
    const declined = second.peer.next('declined');
    ok(await specialist.peer.request('decline', { peerId: second.id }));
    expect(await declined).toEqual({});
    expect(errorCode(await produce(second, 'mic'))).toBe('not_joined');
    const again = ok(await second.peer.request<Joined>('join', { token: second.token }));
    expect(again.admission).toBe('waiting');
    second.peer.close();
  });

  it('gone for longer than the grace: the place is given up and the client waits again', async () => {
    const left = specialist.peer.next('peerLeft', 4 * TEST_RESUME_GRACE_MS);
    client.peer.close();
    expect(await left).toEqual({ peerId: client.id });
    // The server keeps a departed place for one more grace from the leave (a return within it
    // resumes): wait until that has certainly run out — the leave was before it reached us.
    const leftBy = Date.now();
    await waitFor(() => Date.now() > leftBy + TEST_RESUME_GRACE_MS, {
      timeoutMs: 2 * TEST_RESUME_GRACE_MS,
      what: 'the grace after the leave',
    });
    const late = await enter(room, 'client', 'one_to_one', { seat: client.seat });
    expect(late.joined.admission).toBe('waiting');
    late.peer.close();
    specialist.peer.close();
  });
});

describe('webinar: hosts speak, attendees watch until given the floor', () => {
  const room = 'webinar-1';
  let host: In;
  let cohost: In;
  let a1: In;
  let a2: In;

  beforeAll(async () => {
    host = await enter(room, 'host', 'webinar', { label: 'Ведущая' });
    ok(await produce(host, 'mic'));
    ok(await produce(host, 'camera'));
    cohost = await enter(room, 'cohost', 'webinar', { label: 'Соведущий' });
    a1 = await enter(room, 'attendee', 'webinar', { label: 'Участник 1' });
    a2 = await enter(room, 'attendee', 'webinar', { label: 'Участник 2' });
  });
  afterAll(() => {
    for (const p of [host, cohost, a1, a2]) p?.peer.close();
  });

  it('attendees come straight in, without the floor, and see the hosts but not each other', async () => {
    expect(a1.joined.admission).toBe('admitted');
    expect(a1.joined.self).toMatchObject({ role: 'attendee', floor: 'none' });
    expect(a2.joined.peers.map((p) => p.role).sort()).toEqual(['cohost', 'host']);
    expect(host.joined.self.floor).toBe('full');
  });

  it('an attendee may not send anything, nor act as a host', async () => {
    for (const source of ['mic', 'camera', 'screen'] as const) {
      expect([source, errorCode(await produce(a1, source))]).toEqual([source, 'forbidden']);
    }
    for (const [event, payload] of [
      ['grantFloor', { peerId: a2.id, camera: true }],
      ['revokeFloor', { peerId: a2.id }],
      ['mutePeer', { peerId: host.id }],
      ['removePeer', { peerId: a2.id }],
      ['markAnswered', { messageId: '019a0000-0000-7000-8000-000000000000' }],
      ['postMaterial', { title: 'x', url: 'https://example.org/' }],
      ['admit', { peerId: a2.id }],
      ['stepIn', {}],
    ] as const) {
      expect([event, errorCode(await a1.peer.request(event, payload))]).toEqual([event, 'forbidden']);
    }
    expect(await roomState(room)).toMatchObject({ producers: 2 });
  });

  it('a raised hand reaches the hosts only; the other attendee hears nothing of it', async () => {
    const a2Updates = collect<PeerInfo>(a2.peer, 'peerUpdated');
    const seen = host.peer.next('peerUpdated');
    ok(await a1.peer.request('raiseHand', { raised: true }));
    expect(await seen).toMatchObject({ id: a1.id, hand: true, floor: 'none' });
    await delivered(a2.peer);
    expect(a2Updates.filter((p) => p.id === a1.id)).toEqual([]);
  });

  it('given the floor (microphone only), the attendee speaks and everyone hears; its camera stays refused', async () => {
    const selfUpdate = a1.peer.next('peerUpdated');
    const a2Sees = a2.peer.next('peerUpdated');
    ok(await host.peer.request('grantFloor', { peerId: a1.id, camera: false }));
    expect(await selfUpdate).toMatchObject({ id: a1.id, floor: 'mic', hand: false });
    expect(await a2Sees).toMatchObject({ id: a1.id, floor: 'mic' });
    const heardByA2 = a2.peer.next('newConsumer');
    const heardByHost = host.peer.next('newConsumer');
    const mic = ok(await produce(a1, 'mic'));
    expect(await heardByA2).toMatchObject({ peerId: a1.id, source: 'mic' });
    expect(await heardByHost).toMatchObject({ peerId: a1.id, source: 'mic' });
    expect(errorCode(await produce(a1, 'camera'))).toBe('forbidden');

    // A host mutes it: paused at the SFU at once, its browser is told; it may unmute (still has the floor).
    const stopped = a1.peer.next('mediaStopped');
    ok(await host.peer.request('mutePeer', { peerId: a1.id }));
    expect(await stopped).toEqual({ producerId: mic.producerId, source: 'mic', reason: 'muted' });
    ok(await a1.peer.request('resumeProducer', { producerId: mic.producerId }));
  });

  it('taking the floor back closes its media at the server; it cannot send again', async () => {
    const before = (await roomState(room)).producers;
    const stopped = a1.peer.next('mediaStopped');
    const a2Loses = a2.peer.next('peerLeft');
    ok(await host.peer.request('revokeFloor', { peerId: a1.id }));
    expect(await stopped).toMatchObject({ source: 'mic', reason: 'floor_revoked' });
    expect(await a2Loses).toEqual({ peerId: a1.id }); // attendees stop seeing an attendee without the floor
    await waitFor(async () => (await roomState(room)).producers === before - 1);
    expect(errorCode(await produce(a1, 'mic'))).toBe('forbidden');
  });

  it('attendees never receive each other: every consumer of an attendee is of a host or a speaker', async () => {
    const consumers = collect<{ peerId: string }>(a2.peer, 'newConsumer');
    ok(await produce(cohost, 'mic'));
    await waitFor(async () => consumers.length === 1);
    expect(consumers.map((c) => c.peerId)).toEqual([cohost.id]);
  });

  it('a cohost moderates attendees but never the host; only attendees are removed', async () => {
    expect(errorCode(await cohost.peer.request('mutePeer', { peerId: host.id }))).toBe('forbidden');
    expect(errorCode(await cohost.peer.request('grantFloor', { peerId: host.id, camera: true }))).toBe('forbidden');
    expect(errorCode(await host.peer.request('removePeer', { peerId: cohost.id }))).toBe('forbidden');
    expect(errorCode(await host.peer.request('grantFloor', { peerId: host.id, camera: true }))).toBe('not_found');
    ok(await cohost.peer.request('grantFloor', { peerId: a2.id, camera: true }));
    ok(await produce(a2, 'camera'));
    ok(await host.peer.request('revokeFloor', { peerId: a2.id }));
  });

  it('Q&A: an attendee asks, a host marks it answered, everyone sees it; materials come from hosts', async () => {
    const hostGets = host.peer.next('chatMessage');
    const q = ok(await a1.peer.request<{ message: ChatMessage }>('sendChat', { text: 'Как оформить ИППСУ?', question: true }));
    expect(q.message).toMatchObject({ kind: 'question', answered: false, role: 'attendee' });
    expect(await hostGets).toEqual(q.message);
    expect(errorCode(await a1.peer.request('markAnswered', { messageId: q.message.id }))).toBe('forbidden');
    const a2Gets = a2.peer.next('chatUpdated');
    ok(await host.peer.request('markAnswered', { messageId: q.message.id }));
    expect(await a2Gets).toMatchObject({ id: q.message.id, answered: true });
    expect(errorCode(await host.peer.request('markAnswered', { messageId: '019a0000-0000-7000-8000-000000000000' }))).toBe('not_found');
    ok(await cohost.peer.request('postMaterial', { title: 'Презентация', url: 'https://example.org/slides.pdf' }));
  });

  it('a removed attendee is told, and its link does not open the room again', async () => {
    const removed = a2.peer.next('removed');
    ok(await host.peer.request('removePeer', { peerId: a2.id }));
    expect(await removed).toEqual({ reason: 'host' });
    const again = await connectPeer(stack);
    // The link is revoked in the record, so the gate refuses it before any room sees it.
    expect(errorCode(await again.request('join', { token: a2.token }))).toBe('link_revoked');
    expect((await stack.signalling.prisma.participant.findUniqueOrThrow({ where: { id: a2.id } })).linkRevokedAt).not.toBeNull();
    again.close();
  });

  it('the registry fills itself from the stays, and the host adds notes (REST)', async () => {
    const prisma = stack.signalling.prisma;
    const consultation = await prisma.consultation.findUniqueOrThrow({ where: { id: roomId(room) }, include: { institution: true } });
    const specialist = await prisma.staffUser.create({
      data: {
        email: `host-${Date.now()}@example.org`,
        displayName: 'Ведущая',
        role: 'specialist',
        institutionId: consultation.institutionId,
        departmentId: consultation.institution.departmentId,
      },
    });
    await prisma.consultationSpecialist.create({ data: { consultationId: consultation.id, specialistId: specialist.id } });
    await prisma.participant.update({ where: { id: host.id }, data: { staffUserId: specialist.id } });
    const { api } = await signedInAs(stack, specialist.id);
    const registry = await api('GET', `/consultations/${consultation.id}/registry`);
    expect(registry.status).toBe(200);
    const entries = registry.body['participants'] as { participantId: string; visits: number; firstJoinedAt: string | null }[];
    for (const p of [host, cohost, a1, a2]) {
      expect(entries.find((e) => e.participantId === p.id)).toMatchObject({ visits: 1, firstJoinedAt: expect.any(String) });
    }
    const noted = await api('PUT', `/consultations/${consultation.id}/participants/${a1.id}/note`, { note: 'Задал вопрос про ИППСУ' });
    expect(noted).toMatchObject({ status: 200, body: { participantId: a1.id, note: 'Задал вопрос про ИППСУ' } });
    const chat = await api('GET', `/consultations/${consultation.id}/chat`);
    expect((chat.body['messages'] as ChatMessage[]).map((m) => m.kind)).toEqual(['question', 'material']);
    expect((await api('PUT', `/consultations/${consultation.id}/participants/${a1.id}/note`, { note: 'x'.repeat(1001) })).status).toBe(400);
  });
});

describe('dyad: two clients under a curator who watches and may step in', () => {
  const room = 'dyad-1';
  let curator: In;
  let c1: In;
  let c2: In;

  beforeAll(async () => {
    curator = await enter(room, 'curator', 'dyad', { label: 'Куратор' });
    c1 = await enter(room, 'client', 'dyad');
    c2 = await enter(room, 'client', 'dyad');
  });
  afterAll(() => {
    for (const p of [curator, c1, c2]) p?.peer.close();
  });

  it('the curator admits both clients, who always see the curator in the room', async () => {
    expect([c1.joined.admission, c2.joined.admission]).toEqual(['waiting', 'waiting']);
    expect(c1.joined.admitterPresent).toBe(true);
    const in1 = c1.peer.next('admitted') as Promise<{ peers: PeerInfo[] }>;
    ok(await curator.peer.request('admit', { peerId: c1.id }));
    expect((await in1).peers).toEqual([expect.objectContaining({ id: curator.id, role: 'curator', floor: 'none' })]);
    const in2 = c2.peer.next('admitted') as Promise<{ peers: PeerInfo[] }>;
    ok(await curator.peer.request('admit', { peerId: c2.id }));
    expect((await in2).peers.map((p) => p.role).sort()).toEqual(['client', 'curator']);
  });

  it('the clients talk; the curator, observing, receives both and may send nothing', async () => {
    const curatorGets = collect<{ peerId: string }>(curator.peer, 'newConsumer');
    ok(await produce(c1, 'mic'));
    ok(await produce(c2, 'mic'));
    await waitFor(async () => curatorGets.length === 2);
    expect(errorCode(await produce(curator, 'mic'))).toBe('forbidden');
    expect(errorCode(await produce(curator, 'camera'))).toBe('forbidden');
    expect(errorCode(await curator.peer.request('grantFloor', { peerId: c1.id, camera: true }))).toBe('forbidden');
  });

  it('a client cannot step in, admit or act for the curator', async () => {
    for (const [event, payload] of [
      ['stepIn', {}],
      ['admit', { peerId: c2.id }],
      ['mutePeer', { peerId: c2.id }],
    ] as const) {
      expect([event, errorCode(await c1.peer.request(event, payload))]).toEqual([event, 'forbidden']);
    }
  });

  it('stepping in is seen by both clients and the curator is heard; stepping out closes its media', async () => {
    const seen1 = c1.peer.next('peerUpdated');
    const seen2 = c2.peer.next('peerUpdated');
    ok(await curator.peer.request('stepIn', {}));
    expect(await seen1).toMatchObject({ id: curator.id, role: 'curator', floor: 'full' });
    expect(await seen2).toMatchObject({ id: curator.id, floor: 'full' });
    const heard1 = c1.peer.next('newConsumer');
    const heard2 = c2.peer.next('newConsumer');
    ok(await produce(curator, 'mic'));
    expect(await heard1).toMatchObject({ peerId: curator.id, source: 'mic' });
    expect(await heard2).toMatchObject({ peerId: curator.id, source: 'mic' });
    const stopped = curator.peer.next('mediaStopped');
    ok(await curator.peer.request('stepOut', {}));
    expect(await stopped).toMatchObject({ source: 'mic', reason: 'floor_revoked' });
    expect(errorCode(await produce(curator, 'mic'))).toBe('forbidden');
    expect(await roomState(room)).toMatchObject({ producers: 2 });
  });

  it('a role that has no place in a dyad cannot enter it', async () => {
    const seat = await seatFor(stack, room, 'host', { kind: 'dyad' });
    const p = await connectSeat(stack, seat);
    expect(errorCode(await p.request('join', seat.join))).toBe('forbidden');
    p.close();
  });
});
