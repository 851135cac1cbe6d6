// Room events against the permission matrix (`room.<event>`), on the real stack (a real SFU
// worker and the real signalling server): nothing but `join` before joining; staff join by
// the session cookie of the page only into consultations they take part in (another
// institution's or a colleague's reads as not found, admins never enter rooms); a client's
// link is a capability for its one consultation and nothing else — not another room, not
// the REST API; and a handshake from another site does not carry the cookie's identity.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import {
  isAction,
  permissions,
  roomAction,
  clientRequests,
  SESSION_COOKIE,
  grantOf,
  hasPower,
  type Action,
  type RequestResult,
  type RoomPower,
} from '@dp/protocol';
import type { StaffRole } from '@dp/db';
import { decide } from '../../src/auth/access.ts';
import { tokenHash } from '../../src/auth/session-store.ts';
import { bookConsultation, forceStateForTest } from '../../src/consultations/lifecycle-writer.ts';
import {
  connectPeer,
  errorCode,
  ok,
  opusRtpParameters,
  sessionCookieFor,
  startStack,
  threeInstitutions,
  type Stack,
  type TestPeer,
} from '../harness.ts';

type Joined = RequestResult<'join'>;
type RoomEvent = keyof typeof clientRequests;

let stack: Stack;

interface Inst {
  id: string;
  departmentId: string;
}
const inst = {} as Record<'own' | 'sibling' | 'foreign', Inst>;

beforeAll(async () => {
  stack = await startStack(23400);
  Object.assign(inst, await threeInstitutions(stack));
}, 60_000);

afterAll(async () => {
  await stack?.close();
}, 30_000);

let seq = 0;
async function staff(role: StaffRole, where: Inst | null, departmentId = where?.departmentId): Promise<{ id: string; cookie: string }> {
  const n = ++seq;
  const user = await stack.signalling.prisma.staffUser.create({
    data: {
      email: `${role}-${n}-${randomBytes(4).toString('hex')}@example.org`,
      displayName: `${role} ${n}`,
      role,
      institutionId: where?.id ?? null,
      departmentId: departmentId!,
      passwordHash: 'not-used-here',
      ...(role === 'specialist' ? { specialistProfile: { create: { profession: 'psychologist', title: 'Педагог-психолог' } } } : {}),
    },
  });
  return { id: user.id, cookie: await sessionCookieFor(stack, user.id) };
}

/** A one-to-one consultation of `specialistId` that is open now, with one client; answers its id and the client's link. */
async function openConsultation(where: Inst, specialistId: string, extraStaff: { id: string; role: 'curator' }[] = []) {
  const prisma = stack.signalling.prisma;
  // A curator belongs in a dyad; a plain consultation is a one-to-one.
  const dyad = extraStaff.length > 0;
  // Booked and walked to `open` through the lifecycle table (its test-only entry).
  const c = {
    id: await bookConsultation(
      prisma,
      {
        institutionId: where.id,
        kind: dyad ? 'dyad' : 'one_to_one',
        direction: dyad ? 'client_client' : 'specialist_client',
        mode: 'on_request',
        start: new Date(Date.now() - 60_000),
        durationMinutes: 45,
        specialists: { create: [{ specialistId }] },
        participants: {
          create: [
            { role: 'specialist', staffUserId: specialistId, displayName: 'Специалист' },
            ...extraStaff.map((s) => ({ role: s.role, staffUserId: s.id, displayName: 'Куратор' })),
          ],
        },
      },
      { actorId: null, at: new Date() },
    ),
  };
  await forceStateForTest(prisma, c.id, 'open');
  const client = await prisma.participant.create({ data: { consultationId: c.id, role: 'client', displayName: 'Клиент' } });
  const token = stack.signalling.links.sign({
    consultationId: c.id,
    participantId: client.id,
    role: 'client',
    generation: client.linkGeneration,
    expiresAt: new Date(Date.now() + 3600_000),
  });
  return { id: c.id, token };
}

const sameOrigin = () => stack.url; // http://127.0.0.1:<port>: what the page itself sends

/** A syntactically valid payload of every event (authorisation runs after validation). */
const PAYLOADS = {
  join: { token: 'x'.repeat(40) },
  restartIce: { transportId: '00000000-0000-4000-8000-000000000001' },
  connectTransport: {
    transportId: 'transport-1',
    dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] },
  },
  ready: { rtpCapabilities: { codecs: [], headerExtensions: [] } },
  produce: { transportId: 'transport-1', kind: 'audio', rtpParameters: opusRtpParameters(5), source: 'mic' },
  pauseProducer: { producerId: 'producer-1' },
  resumeProducer: { producerId: 'producer-1' },
  closeProducer: { producerId: 'producer-1' },
  setAudioOnly: { audioOnly: true },
  leave: {},
  admit: { peerId: 'peer-1' },
  decline: { peerId: 'peer-1' },
  raiseHand: { raised: true },
  grantFloor: { peerId: 'peer-1', camera: false },
  revokeFloor: { peerId: 'peer-1' },
  mutePeer: { peerId: 'peer-1' },
  removePeer: { peerId: 'peer-1' },
  stepIn: {},
  stepOut: {},
  sendChat: { text: 'Здравствуйте' },
  endConsultation: {},
  markAnswered: { messageId: 'message-1' },
  postMaterial: { title: 'Памятка', url: 'https://example.org/a.pdf' },
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
  networkTestStart: { token: 'x'.repeat(40), rtpCapabilities: { codecs: [], headerExtensions: [] } },
  networkTestConnect: {
    probeId: 'probe-1',
    transportId: 'transport-1',
    dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] },
  },
  networkTestProduce: { probeId: 'probe-1', transportId: 'transport-1', rtpParameters: opusRtpParameters(5) },
  networkTestStats: { probeId: 'probe-1' },
  networkTestFinish: {
    probeId: 'probe-1',
    camera: true,
    microphone: true,
    figures: { rttMs: 40, lossPct: 0, bitrateKbps: 500, path: 'udp' },
  },
} satisfies Record<RoomEvent, unknown>;

/** The in-room power (room-policy.ts) an event needs beyond being in the room. */
const ROOM_POWER: Partial<Record<RoomEvent, RoomPower>> = {
  admit: 'admit',
  decline: 'admit',
  raiseHand: 'raise_hand',
  grantFloor: 'moderate',
  revokeFloor: 'moderate',
  mutePeer: 'moderate',
  removePeer: 'moderate',
  stepIn: 'step_in',
  stepOut: 'step_in',
  markAnswered: 'mark_answered',
  postMaterial: 'post_material',
  endConsultation: 'end',
};

const events = Object.keys(clientRequests) as RoomEvent[];
/**
 * The device check's network test comes before `join` (network-test.test.ts covers it):
 * `networkTestStart` is authorised like `join`, the others by the probe it opened.
 */
const networkTest = events.filter((e) => e.startsWith('networkTest'));
// `endConsultation` closes the room: tried last, so that every other event meets an open room.
const afterJoin = events
  .filter((e) => e !== 'join' && e !== 'leave' && !networkTest.includes(e))
  .sort((a, b) => Number(a === 'endConsultation') - Number(b === 'endConsultation'));
const beforeJoin = events.filter((e) => e !== 'join' && !networkTest.includes(e));

describe('the matrix knows every room event', () => {
  it('every client request is a `room.<event>` action, and every room action is an event', () => {
    for (const e of events) expect([e, isAction(roomAction(e))]).toEqual([e, true]);
    const roomActions = Object.keys(permissions).filter((a) => a.startsWith('room.'));
    expect(roomActions.sort()).toEqual(events.map((e) => roomAction(e)).sort());
    expect(Object.keys(PAYLOADS).sort()).toEqual([...events].sort());
    for (const e of events) expect([e, clientRequests[e].payload.safeParse(PAYLOADS[e]).success]).toEqual([e, true]);
  });

  it('join: clients by link, staff only into their own consultations, admins never; later events only for participants', () => {
    expect(permissions['room.join']).toEqual({ client: 'link', head: 'own', specialist: 'own', social_worker: 'own' });
    for (const e of afterJoin) {
      expect([e, grantOf(roomAction(e) as Action, 'admin'), grantOf(roomAction(e) as Action, 'client')]).toEqual([e, null, 'participant']);
    }
  });

  it('the network test: whoever may join, on the same terms (admins never), before joining', () => {
    expect(networkTest.sort()).toEqual(
      ['networkTestConnect', 'networkTestFinish', 'networkTestProduce', 'networkTestStart', 'networkTestStats'].sort(),
    );
    for (const e of networkTest) expect([e, permissions[roomAction(e) as Action]]).toEqual([e, permissions['room.join']]);
  });
});

describe('before join', () => {
  it('every event but join and the network test answers not_joined', async () => {
    const p = await connectPeer(stack);
    for (const e of beforeJoin) {
      expect([e, errorCode(await p.request(e, PAYLOADS[e]))]).toEqual([e, 'not_joined']);
    }
    // The network test needs a valid link (or session) to start, and its own probe afterwards.
    expect(errorCode(await p.request('networkTestStart', PAYLOADS.networkTestStart))).toBe('invalid_token');
    for (const e of networkTest.filter((x) => x !== 'networkTestStart')) {
      expect([e, errorCode(await p.request(e, PAYLOADS[e]))]).toEqual([e, 'not_found']);
    }
    p.close();
  });

  it('…also for a signed-in member of staff (a session is not a seat in a room)', async () => {
    const specialist = await staff('specialist', inst.own);
    const p = await connectPeer(stack, { cookie: specialist.cookie, origin: sameOrigin() });
    for (const e of beforeJoin) {
      expect([e, errorCode(await p.request(e, PAYLOADS[e]))]).toEqual([e, 'not_joined']);
    }
    p.close();
  });
});

describe('join by the staff session cookie', () => {
  let specialist: { id: string; cookie: string };
  let consultation: { id: string; token: string };
  beforeAll(async () => {
    specialist = await staff('specialist', inst.own);
    consultation = await openConsultation(inst.own, specialist.id);
  });

  const joinAs = async (cookie: string | undefined, consultationId = consultation.id, origin: string | undefined = sameOrigin()) => {
    const p = await connectPeer(stack, { ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) });
    const ack = await p.request<Joined>('join', { consultationId });
    return { p, ack };
  };

  it("the consultation's specialist → in, as its specialist participant; later events are theirs", async () => {
    // A consultation of its own: the last event tried, `endConsultation`, ends it for good.
    const ended = await openConsultation(inst.own, specialist.id);
    const { p, ack } = await joinAs(specialist.cookie, ended.id);
    const joined = ok(ack);
    expect(joined.room.id).toBe(ended.id);
    expect(joined.self.role).toBe('specialist');
    // Every later event is now authorised by the matrix. What remains is the room's own
    // checks: ids it does not own, and what a specialist's role in a one-to-one does not include.
    for (const e of afterJoin) {
      const res = await p.request(e, PAYLOADS[e]);
      const power = ROOM_POWER[e];
      if (power && !hasPower('specialist', power)) expect([e, errorCode(res)]).toEqual([e, 'forbidden']);
      else if (!res.ok) expect([e, res.error.code]).not.toEqual([e, expect.stringMatching(/^(not_joined|forbidden|unauthenticated)$/)]);
    }
    ok(await p.request('leave', {}));
    p.close();
  });

  it('without an Origin header (a non-browser client) the cookie counts as well', async () => {
    const { p, ack } = await joinAs(specialist.cookie, consultation.id, undefined);
    expect(ok(ack).room.id).toBe(consultation.id);
    p.close();
  });

  it('a head listed in the consultation (a curator) → in', async () => {
    const head = await staff('head', inst.own);
    const listed = await openConsultation(inst.own, (await staff('specialist', inst.own)).id, [{ id: head.id, role: 'curator' }]);
    const { p, ack } = await joinAs(head.cookie, listed.id);
    expect(ok(ack).room.id).toBe(listed.id);
    p.close();
  });

  it.each([
    ['another specialist of the same institution', 'not_found', () => staff('specialist', inst.own)],
    ['a head of the institution not listed in it', 'not_found', () => staff('head', inst.own)],
    ['a social worker of the institution not listed in it', 'not_found', () => staff('social_worker', inst.own)],
    ['a specialist of another institution of the department', 'not_found', () => staff('specialist', inst.sibling)],
    ['a specialist of another department', 'not_found', () => staff('specialist', inst.foreign)],
    ['the department admin (admins never enter rooms)', 'forbidden', () => staff('admin', null, inst.own.departmentId)],
    ["another department's admin", 'not_found', () => staff('admin', null, inst.foreign.departmentId)],
  ] as const)('%s → %s', async (_who, code, make) => {
    const who = await make();
    const { p, ack } = await joinAs(who.cookie);
    expect(errorCode(ack)).toBe(code);
    // …and being refused does not make a seat: everything else still answers not_joined.
    expect(errorCode(await p.request('setAudioOnly', PAYLOADS.setAudioOnly))).toBe('not_joined');
    p.close();
  });

  it('an unknown consultation id → not_found, like a foreign one', async () => {
    const { p, ack } = await joinAs(specialist.cookie, '019a0000-0000-7000-8000-000000000000');
    expect(errorCode(ack)).toBe('not_found');
    p.close();
  });

  it('no cookie, an unknown cookie, an ended session → unauthenticated', async () => {
    expect(errorCode((await joinAs(undefined)).ack)).toBe('unauthenticated');
    expect(errorCode((await joinAs(`${SESSION_COOKIE}=${randomBytes(32).toString('base64url')}`)).ack)).toBe('unauthenticated');
    const ended = await sessionCookieFor(stack, specialist.id);
    await stack.signalling.prisma.staffSession.update({
      where: { tokenHash: tokenHash(ended.slice(SESSION_COOKIE.length + 1)) },
      data: { endedAt: new Date(), endReason: 'sign_out' },
    });
    expect(errorCode((await joinAs(ended)).ack)).toBe('unauthenticated');
  });

  it('a session still setting up its second factor → forbidden', async () => {
    const cookie = await sessionCookieFor(stack, specialist.id, { stage: 'totp_setup_required' });
    expect(errorCode((await joinAs(cookie)).ack)).toBe('forbidden');
  });

  it('a handshake from another site does not carry the cookie’s identity (cross-site WebSocket hijacking)', async () => {
    const fresh = await sessionCookieFor(stack, specialist.id);
    for (const origin of ['https://evil.example.org', 'http://127.0.0.1:1', 'null']) {
      const { p, ack } = await joinAs(fresh, consultation.id, origin);
      expect([origin, errorCode(ack)]).toEqual([origin, 'unauthenticated']);
      p.close();
    }
    // The same cookie from the page's own origin is fine.
    const { p, ack } = await joinAs(fresh, consultation.id, sameOrigin());
    expect(ok(ack).room.id).toBe(consultation.id);
    p.close();
  });
});

describe("a client's link is bound to its consultation", () => {
  let a: { id: string; token: string };
  let b: { id: string; token: string };
  let inB: { peer: TestPeer; joined: Joined };
  let specialistOfA: TestPeer;
  beforeAll(async () => {
    const sa = await staff('specialist', inst.own);
    const sb = await staff('specialist', inst.own);
    a = await openConsultation(inst.own, sa.id);
    b = await openConsultation(inst.own, sb.id);
    // B's specialist sends media in B; A's specialist lets A's client in.
    const peer = await connectPeer(stack, { cookie: sb.cookie, origin: sameOrigin() });
    inB = { peer, joined: ok(await peer.request<Joined>('join', { consultationId: b.id })) };
    specialistOfA = await connectPeer(stack, { cookie: sa.cookie, origin: sameOrigin() });
    ok(await specialistOfA.request<Joined>('join', { consultationId: a.id }));
  });
  afterAll(() => {
    inB?.peer.close();
    specialistOfA?.close();
  });

  it("A's token enters A, never B: B needs B's token", async () => {
    const p = await connectPeer(stack);
    // Naming B next to A's token is refused outright; naming B alone needs a staff session.
    expect(errorCode(await p.request('join', { token: a.token, consultationId: b.id }))).toBe('bad_request');
    expect(errorCode(await p.request('join', { consultationId: b.id }))).toBe('unauthenticated');
    const joined = ok(await p.request<Joined>('join', { token: a.token }));
    expect(joined.room.id).toBe(a.id);
    expect(joined.admission).toBe('waiting');
    const admitted = p.next('admitted') as Promise<{ peers: { id: string }[] }>;
    ok(await specialistOfA.request('admit', { peerId: joined.self.id }));
    // Only A's specialist is visible from A; nobody of B.
    expect((await admitted).peers).toHaveLength(1);
    p.close();
  });

  it("once in A, B's transports and producers are not found", async () => {
    const p = await connectPeer(stack);
    const joined = ok(await p.request<Joined>('join', { token: a.token }));
    if (joined.admission === 'waiting') ok(await specialistOfA.request('admit', { peerId: joined.self.id }));
    const { producerId } = ok(
      await inB.peer.request<{ producerId: string }>('produce', {
        transportId: inB.joined.transports.send.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(77),
        source: 'mic',
      }),
    );
    const attempts: [RoomEvent, unknown][] = [
      ['produce', { ...PAYLOADS.produce, transportId: inB.joined.transports.send.id }],
      ['connectTransport', { ...PAYLOADS.connectTransport, transportId: inB.joined.transports.recv.id }],
      ['pauseProducer', { producerId }],
      ['closeProducer', { producerId }],
    ];
    for (const [event, payload] of attempts) expect([event, errorCode(await p.request(event, payload))]).toEqual([event, 'not_found']);
    p.close();
  });

  it('the check itself: a client of A acting on a record of B is outside its scope', () => {
    const client = { kind: 'client' as const, consultationId: a.id, participantId: 'p' };
    for (const e of events) {
      expect([e, decide(roomAction(e) as Action, client, { institutionId: '', departmentId: '', consultationId: b.id })]).toEqual([
        e,
        { allowed: false, status: 404, reason: 'outside_scope' },
      ]);
    }
  });

  it('a link token is no key to the REST API: 401 as a cookie and as a bearer token', async () => {
    for (const path of ['/api/institutions', `/api/consultations/${a.id}`, '/api/auth/session']) {
      for (const headers of [{ cookie: `${SESSION_COOKIE}=${a.token}` }, { authorization: `Bearer ${a.token}` }]) {
        const res = await fetch(stack.url + path, { headers });
        expect([path, Object.keys(headers)[0], res.status]).toEqual([path, Object.keys(headers)[0], 401]);
      }
    }
  });
});
