// Every client event of the room protocol, tried by every room role on the real stack (a real
// SFU worker, real sockets), against an expectation written BY HAND below — not read from
// packages/protocol/src/room-policy.ts, so that a change of what a role may do in a room must
// change this table too. (socket-matrix.test.ts exercises the specialist's events only.)
//
// Each column gets a fresh room of its kind with the people an event needs: waiting clients to
// admit or decline, attendees to give the floor to, mute and remove, a question to mark
// answered. Staff enter by their session cookie (a head as a dyad's curator); clients and
// attendees by their link. A social worker takes part in no room: every event answers
// `not_joined`.
//
// Cells: 'ok' — acknowledged; 'allowed' — not refused for the role (the room may still answer
// e.g. not_found for an id, or a DTLS error for made-up parameters); a code — that error.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { clientRequests, type Ack } from '@dp/protocol';
import { connectPeer, opusRtpParameters, startStack, threeInstitutions, type Stack, type TestPeer } from '../harness.ts';
import { linkOf, openConsultation, staffMember, type Inst, type StaffIdentity } from '../world.ts';

const COLUMNS = ['specialist', 'client', 'host', 'cohost', 'attendee', 'curator', 'social_worker'] as const;
type Column = (typeof COLUMNS)[number];
type Cell = 'ok' | 'allowed' | 'forbidden' | 'not_joined';
const ok = 'ok',
  al = 'allowed',
  F = 'forbidden',
  NJ = 'not_joined';

/** The order the events are tried in (ending and leaving last; removing comes after everything that needs the attendee). */
const EVENTS = [
  'setAudioOnly',
  'connectTransport',
  'restartIce',
  'ready',
  'clientStats',
  'produce',
  'pauseProducer',
  'resumeProducer',
  'closeProducer',
  'sendChat',
  'postMaterial',
  'markAnswered',
  'raiseHand',
  'admit',
  'decline',
  'grantFloor',
  'mutePeer',
  'revokeFloor',
  'stepIn',
  'stepOut',
  'removePeer',
  'endConsultation',
  'leave',
] as const;
type Event = (typeof EVENTS)[number];

/** THE TABLE: what each room role may do. Change it only together with room-policy.ts, on purpose. */
// prettier-ignore
const EXPECTED: Record<Event, Record<Column, Cell>> = {
  //                  specialist client host cohost attendee curator social_worker
  setAudioOnly:     { specialist: ok, client: ok, host: ok, cohost: ok, attendee: ok, curator: ok, social_worker: NJ },
  connectTransport: { specialist: al, client: al, host: al, cohost: al, attendee: al, curator: al, social_worker: NJ },
  restartIce: { specialist: al, client: al, host: al, cohost: al, attendee: al, curator: al, social_worker: NJ },
  ready:            { specialist: al, client: al, host: al, cohost: al, attendee: al, curator: al, social_worker: NJ },
  clientStats:      { specialist: al, client: al, host: al, cohost: al, attendee: al, curator: al, social_worker: NJ },
  // Attendees without the floor and curators who have not stepped in send nothing.
  produce:          { specialist: ok, client: ok, host: ok, cohost: ok, attendee: F,  curator: F,  social_worker: NJ },
  pauseProducer:    { specialist: ok, client: ok, host: ok, cohost: ok, attendee: al, curator: al, social_worker: NJ },
  resumeProducer:   { specialist: ok, client: ok, host: ok, cohost: ok, attendee: al, curator: al, social_worker: NJ },
  closeProducer:    { specialist: ok, client: ok, host: ok, cohost: ok, attendee: al, curator: al, social_worker: NJ },
  sendChat:         { specialist: ok, client: ok, host: ok, cohost: ok, attendee: ok, curator: ok, social_worker: NJ },
  // Materials (links into the protocol) come from the staff who lead.
  postMaterial:     { specialist: ok, client: F,  host: ok, cohost: ok, attendee: F,  curator: ok, social_worker: NJ },
  markAnswered:     { specialist: F,  client: F,  host: ok, cohost: ok, attendee: F,  curator: F,  social_worker: NJ },
  raiseHand:        { specialist: F,  client: F,  host: F,  cohost: F,  attendee: ok, curator: F,  social_worker: NJ },
  // The waiting room: the specialist of a one-to-one and the curator of a dyad.
  admit:            { specialist: ok, client: F,  host: F,  cohost: F,  attendee: F,  curator: ok, social_worker: NJ },
  decline:          { specialist: ok, client: F,  host: F,  cohost: F,  attendee: F,  curator: ok, social_worker: NJ },
  // Moderation: a webinar's host and co-hosts, over attendees.
  grantFloor:       { specialist: F,  client: F,  host: ok, cohost: ok, attendee: F,  curator: F,  social_worker: NJ },
  mutePeer:         { specialist: F,  client: F,  host: ok, cohost: ok, attendee: F,  curator: F,  social_worker: NJ },
  revokeFloor:      { specialist: F,  client: F,  host: ok, cohost: ok, attendee: F,  curator: F,  social_worker: NJ },
  stepIn:           { specialist: F,  client: F,  host: F,  cohost: F,  attendee: F,  curator: ok, social_worker: NJ },
  stepOut:          { specialist: F,  client: F,  host: F,  cohost: F,  attendee: F,  curator: ok, social_worker: NJ },
  removePeer:       { specialist: F,  client: F,  host: ok, cohost: ok, attendee: F,  curator: F,  social_worker: NJ },
  // «Завершить консультацию»: the one who leads — the specialist, the webinar's host (not a co-host), the curator.
  endConsultation:  { specialist: ok, client: F,  host: ok, cohost: F,  attendee: F,  curator: ok, social_worker: NJ },
  leave:            { specialist: ok, client: ok, host: ok, cohost: ok, attendee: ok, curator: ok, social_worker: NJ },
};

let stack: Stack;
let inst: Record<'own' | 'sibling' | 'foreign', Inst>;
const peers: TestPeer[] = [];

beforeAll(async () => {
  stack = await startStack(25300);
  inst = await threeInstitutions(stack);
}, 60_000);

afterAll(async () => {
  peers.forEach((p) => p.close());
  await stack?.close();
}, 30_000);

const own = () => ({ institutionId: inst.own.id, departmentId: inst.own.departmentId });

type Joined = { self: { id: string }; transports: { send: { id: string }; recv: { id: string } } };

async function enter(payload: Record<string, unknown>, cookie?: string): Promise<{ peer: TestPeer; joined: Joined | null; code: string }> {
  const peer = await connectPeer(stack, { ...(cookie ? { cookie } : {}), origin: stack.url });
  peers.push(peer);
  const ack = (await peer.request('join', payload)) as Ack<Joined>;
  return { peer, joined: ack.ok ? ack.data : null, code: ack.ok ? 'ok' : ack.error.code };
}

function mustJoin(r: { joined: Joined | null; code: string }, who: string): Joined {
  if (!r.joined) throw new Error(`${who} could not join: ${r.code}`);
  return r.joined;
}

/** The actor in a room of its kind, with everyone its events need; answers the payload of each event. */
async function scene(column: Column): Promise<{ actor: TestPeer; payloads: Record<Event, unknown>; hostId?: string; cohostId?: string }> {
  const specialist = await staffMember(stack, 'specialist', own());
  let actor: TestPeer;
  let self: Joined | null = null;
  const targets: { waiting: string[]; attendee?: string; host?: string; cohost?: string; question?: string; remove?: string } = {
    waiting: [],
  };

  if (column === 'specialist' || column === 'client') {
    const c = await openConsultation(stack, inst.own, 'one_to_one', [{ userId: specialist.id, role: 'specialist' }], { clients: 2 });
    const s = await enter({ consultationId: c.id }, specialist.cookie);
    mustJoin(s, 'the specialist');
    const clients = c.participants.filter((p) => p.role === 'client');
    const first = await enter({ token: await linkOf(stack, clients[0]!.id) });
    const second = await enter({ token: await linkOf(stack, clients[1]!.id) });
    const firstId = mustJoin(first, 'client 1').self.id;
    const secondId = mustJoin(second, 'client 2').self.id;
    if (column === 'specialist') {
      actor = s.peer;
      self = s.joined;
      targets.waiting = [firstId, secondId];
    } else {
      const admitted = first.peer.next('admitted');
      expect((await s.peer.request('admit', { peerId: firstId })).ok).toBe(true);
      await admitted;
      actor = first.peer;
      self = first.joined;
      targets.waiting = [secondId, secondId];
    }
  } else if (column === 'host' || column === 'cohost' || column === 'attendee') {
    const cohostUser = await staffMember(stack, 'specialist', own());
    const c = await openConsultation(
      stack,
      inst.own,
      'webinar',
      [
        { userId: specialist.id, role: 'host' },
        { userId: cohostUser.id, role: 'cohost' },
      ],
      { clients: 2, specialistIds: [specialist.id, cohostUser.id] },
    );
    const host = await enter({ consultationId: c.id }, specialist.cookie);
    const cohost = await enter({ consultationId: c.id }, cohostUser.cookie);
    const attendees = c.participants.filter((p) => p.role === 'attendee');
    const a1 = await enter({ token: await linkOf(stack, attendees[0]!.id) });
    const a2 = await enter({ token: await linkOf(stack, attendees[1]!.id) });
    targets.host = mustJoin(host, 'the host').self.id;
    targets.cohost = mustJoin(cohost, 'the co-host').self.id;
    const a1Id = mustJoin(a1, 'attendee 1').self.id;
    const a2Id = mustJoin(a2, 'attendee 2').self.id;
    // A question to mark answered (the second attendee asks it).
    const asked = (await a2.peer.request('sendChat', { text: 'Вопрос', question: true })) as Ack<{ message: { id: string } }>;
    if (!asked.ok) throw new Error(`the question was not posted: ${asked.error.code}`);
    targets.question = asked.data.message.id;
    if (column === 'attendee') {
      actor = a1.peer;
      self = a1.joined;
      targets.attendee = a2Id;
    } else {
      actor = column === 'host' ? host.peer : cohost.peer;
      self = column === 'host' ? host.joined : cohost.joined;
      targets.attendee = a1Id;
    }
    // The one removed at the end is the second attendee.
    targets.remove = a2Id;
  } else if (column === 'curator') {
    const head = await staffMember(stack, 'head', own());
    const c = await openConsultation(stack, inst.own, 'dyad', [{ userId: head.id, role: 'curator' }], { clients: 2, specialistIds: [] });
    const curator = await enter({ consultationId: c.id }, head.cookie);
    const clients = c.participants.filter((p) => p.role === 'client');
    const d1 = await enter({ token: await linkOf(stack, clients[0]!.id) });
    const d2 = await enter({ token: await linkOf(stack, clients[1]!.id) });
    actor = curator.peer;
    self = mustJoin(curator, 'the curator');
    targets.waiting = [mustJoin(d1, 'client 1').self.id, mustJoin(d2, 'client 2').self.id];
  } else {
    // A social worker of the institution: tries to enter a one-to-one it does not take part in.
    const worker: StaffIdentity = await staffMember(stack, 'social_worker', own());
    const c = await openConsultation(stack, inst.own, 'one_to_one', [{ userId: specialist.id, role: 'specialist' }]);
    const tried = await enter({ consultationId: c.id }, worker.cookie);
    expect(tried.code).toBe('not_found');
    actor = tried.peer;
  }

  const someone = targets.attendee ?? targets.waiting[0] ?? '019a0000-0000-7000-8000-000000000001';
  const payloads: Record<Event, unknown> = {
    setAudioOnly: { audioOnly: false },
    connectTransport: {
      transportId: self?.transports.recv.id ?? 'transport-1',
      dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] },
    },
    restartIce: { transportId: self?.transports.recv.id ?? 'transport-1' },
    ready: { rtpCapabilities: { codecs: [], headerExtensions: [] } },
    clientStats: {
      iceState: 'connected',
      path: 'udp',
      sendBitrate: 600_000,
      recvBitrate: 650_000,
      recvLossPercent: 0.5,
      rttMs: 40,
      jitterMs: 5,
      fps: 24,
      frameWidth: 640,
      frameHeight: 360,
      nackCount: 0,
      pliCount: 1,
      firCount: 0,
    },
    produce: {
      transportId: self?.transports.send.id ?? 'transport-1',
      kind: 'audio',
      rtpParameters: opusRtpParameters(4242),
      source: 'mic',
    },
    // Filled in with the produced id when `produce` succeeded.
    pauseProducer: { producerId: 'producer-1' },
    resumeProducer: { producerId: 'producer-1' },
    closeProducer: { producerId: 'producer-1' },
    sendChat: { text: 'Здравствуйте' },
    postMaterial: { title: 'Памятка', url: 'https://example.org/a.pdf' },
    markAnswered: { messageId: targets.question ?? '019a0000-0000-7000-8000-000000000002' },
    raiseHand: { raised: true },
    admit: { peerId: targets.waiting[0] ?? someone },
    decline: { peerId: targets.waiting[1] ?? someone },
    grantFloor: { peerId: someone, camera: false },
    mutePeer: { peerId: someone },
    revokeFloor: { peerId: someone },
    stepIn: {},
    stepOut: {},
    removePeer: { peerId: targets.remove ?? someone },
    endConsultation: {},
    leave: {},
  };
  return { actor, payloads, ...(targets.host ? { hostId: targets.host } : {}), ...(targets.cohost ? { cohostId: targets.cohost } : {}) };
}

describe('the table covers the protocol', () => {
  it('every client event but join and the network test is in EVENTS', () => {
    const inRoom = Object.keys(clientRequests).filter((e) => e !== 'join' && !e.startsWith('networkTest'));
    expect([...EVENTS].sort()).toEqual(inRoom.sort());
  });
});

describe.each(COLUMNS)('in the room as %s', (column) => {
  it('every event answers as the table says', async () => {
    const { actor, payloads } = await scene(column);
    const got: Partial<Record<Event, string>> = {};
    const want: Partial<Record<Event, string>> = {};
    for (const event of EVENTS) {
      const ack = (await actor.request(event, payloads[event])) as Ack<{ producerId?: string }>;
      if (event === 'produce' && ack.ok && ack.data.producerId) {
        for (const e of ['pauseProducer', 'resumeProducer', 'closeProducer'] as const) payloads[e] = { producerId: ack.data.producerId };
      }
      const code = ack.ok ? 'ok' : ack.error.code;
      const expected = EXPECTED[event][column];
      // 'allowed': anything but a refusal of the role (or of a peer that is not in the room).
      got[event] =
        expected === 'allowed' && !['forbidden', 'not_joined', 'not_admitted', 'unauthenticated'].includes(code) ? 'allowed' : code;
      want[event] = expected;
    }
    expect(got).toEqual(want);
  }, 60_000);
});

describe('moderation goes down the hierarchy', () => {
  it('a host may mute a co-host; a co-host may not mute the host', async () => {
    const asHost = await scene('host');
    const muteCohost = (await asHost.actor.request('mutePeer', { peerId: asHost.cohostId })) as Ack<unknown>;
    expect(muteCohost.ok ? 'ok' : muteCohost.error.code).toBe('ok');
    const asCohost = await scene('cohost');
    const muteHost = (await asCohost.actor.request('mutePeer', { peerId: asCohost.hostId })) as Ack<unknown>;
    expect(muteHost.ok ? 'ok' : muteHost.error.code).toBe('forbidden');
    // …nor take the floor from or remove anyone but an attendee.
    const removeHost = (await asCohost.actor.request('removePeer', { peerId: asCohost.hostId })) as Ack<unknown>;
    expect(removeHost.ok ? 'ok' : removeHost.error.code).toBe('forbidden');
  }, 60_000);
});
