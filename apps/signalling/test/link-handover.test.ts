// Issue 15, findings 1 and 2, on the real stack (PostgreSQL, Redis, SFU, socket.io):
// - no consultation response carries a join link any more;
// - a client's link is shown only to those who hand it over (the booker, the social worker
//   responsible for the request, the head), each showing audited, never for staff;
// - «Выдать новую ссылку» moves the participant to a new generation: the old link reads as
//   revoked on its page, at `join` and at the network test, its holder leaves the room at
//   once, and the new link works;
// - a token with a staff (lead) role enters nothing: staff enter signed in;
// - deactivating a member of staff, or changing their role, takes them out of open rooms at
//   once, and they cannot join again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { allocateRequestNumber, seedDemo, type DemoIds, type StaffRole } from '@dp/db';
import { CSRF_HEADER, SESSION_COOKIE, type MediaCapabilities, type RequestResult } from '@dp/protocol';
import { SessionStore } from '../src/auth/session-store.ts';
import { bookConsultation, forceStateForTest } from '../src/consultations/lifecycle-writer.ts';
import { connectPeer, errorCode, ok, startStack, waitFor, type Stack, type TestPeer } from './harness.ts';

type Joined = RequestResult<'join'>;
type LinkView = { participantId: string; url: string; generation: number };
type Answer = { status: number; body: Record<string, unknown> };

let stack: Stack;
let ids: DemoIds;
let rtpCapabilities: MediaCapabilities['routerRtpCapabilities'];
const peers: TestPeer[] = [];

beforeAll(async () => {
  stack = await startStack(25100);
  ids = await seedDemo(stack.signalling.prisma);
  rtpCapabilities = ((await (await fetch(`${stack.url}/api/media/capabilities`)).json()) as MediaCapabilities).routerRtpCapabilities;
}, 60_000);

afterAll(async () => {
  peers.forEach((p) => p.close());
  await stack?.close();
}, 30_000);

const prisma = () => stack.signalling.prisma;
const MIN = 60_000;

/** A socket of the page, with a staff member's cookie (same origin) or none. */
async function peer(cookie?: string): Promise<TestPeer> {
  const p = await connectPeer(stack, cookie ? { cookie, origin: stack.url } : {});
  peers.push(p);
  return p;
}

/**
 * A live session of the member of staff (made in the database, as sign-in would: the router,
 * CSRF and the matrix are the real ones) and a fetch for /api with its cookie and CSRF token.
 */
async function as(
  staffUserId: string,
): Promise<{ cookie: string; api: (method: string, path: string, body?: unknown) => Promise<Answer> }> {
  // A session counts only for an account with a password (the hash is never checked here).
  const user = await prisma().staffUser.update({
    where: { id: staffUserId },
    data: { passwordHash: (await prisma().staffUser.findUniqueOrThrow({ where: { id: staffUserId } })).passwordHash ?? 'set by the test' },
  });
  const store = new SessionStore(prisma(), { idleSeconds: 1800, absoluteSeconds: 12 * 3600 }, () => new Date());
  const { token, principal } = await store.create(user, { stage: 'active', ip: '127.0.0.1', userAgent: 'jest' });
  const cookie = `${SESSION_COOKIE}=${token}`;
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${stack.url}/api${path}`, {
      method,
      headers: { cookie, [CSRF_HEADER]: principal.csrfToken, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  return { cookie, api };
}

/** A new member of staff of the demo institution (Omsk), or a department-level admin. */
async function newStaff(role: StaffRole): Promise<string> {
  const user = await prisma().staffUser.create({
    data: {
      email: `${role}-${randomUUID()}@example.org`,
      displayName: `${role} ${randomUUID().slice(0, 6)}`,
      role,
      institutionId: role === 'admin' ? null : ids.institutions.omsk,
      departmentId: ids.departmentId,
      ...(role === 'specialist' ? { specialistProfile: { create: { profession: 'psychologist', title: 'Педагог-психолог' } } } : {}),
    },
  });
  return user.id;
}

/** A request of the journal with a responsible member of staff. */
async function requestWithResponsible(responsibleId: string): Promise<string> {
  return prisma().$transaction(async (tx) => {
    const number = await allocateRequestNumber(tx, ids.institutions.omsk, 2026);
    const row = await tx.request.create({
      data: {
        institutionId: ids.institutions.omsk,
        year: 2026,
        number,
        receivedAt: new Date(),
        channel: 'phone',
        fromWhom: 'Мать',
        reason: 'Просьба о консультации',
        responsibleSpecialistId: responsibleId,
        status: 'assigned',
      },
    });
    return row.id;
  });
}

/** A one-to-one of `specialistId` open now (the room may be entered), booked by `createdById`. */
async function openConsultation(specialistId: string, createdById: string | null, requestId: string | null = null) {
  // Booked and walked to `open` through the lifecycle table (its test-only entry).
  const id = await bookConsultation(
    prisma(),
    {
      institutionId: ids.institutions.omsk,
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      start: new Date(Date.now() - MIN),
      durationMinutes: 45,
      createdById,
      requestId,
      specialists: { create: [{ specialistId }] },
      participants: {
        create: [
          { role: 'specialist', staffUserId: specialistId },
          { role: 'client', displayName: 'Клиент', email: 'parent@example.org' },
        ],
      },
    },
    { actorId: createdById, at: new Date() },
  );
  await forceStateForTest(prisma(), id, 'open');
  const participants = await prisma().participant.findMany({ where: { consultationId: id } });
  const of = (role: 'specialist' | 'client') => participants.find((p) => p.role === role)!.id;
  return { id, specialistParticipantId: of('specialist'), clientId: of('client') };
}

const linkPath = (consultationId: string, participantId: string) => `/consultations/${consultationId}/participants/${participantId}/link`;
const tokenOf = (url: string) => url.split('/join/')[1]!;
const linkPage = (token: string) => fetch(`${stack.url}/api/links/${token}`);
const networkTestStart = (p: TestPeer, auth: { token: string } | { consultationId: string }) =>
  p.request<RequestResult<'networkTestStart'>>('networkTestStart', { ...auth, rtpCapabilities });

describe('no consultation response carries a link', () => {
  it('create, get, list, reschedule and cancel: no /join/ anywhere; the booker is recorded', async () => {
    const booker = await as(ids.socialWorkerId);
    const head = await as(ids.headId);
    const spec = ids.specialists.psychologist;
    const from = new Date(Date.now() + 24 * 3600_000).toISOString();
    const to = new Date(Date.now() + 20 * 24 * 3600_000).toISOString();
    const free = await booker.api(
      'GET',
      `/institutions/${ids.institutions.omsk}/specialists/${spec}/free-slots?from=${from}&to=${to}&durationMinutes=45`,
    );
    expect(free.status).toBe(200);
    const slots = free.body.slots as string[];
    expect(slots.length).toBeGreaterThan(2);

    const created = await booker.api('POST', `/institutions/${ids.institutions.omsk}/consultations`, {
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      specialistIds: [spec],
      start: slots[0],
      durationMinutes: 45,
      clients: [{ displayName: 'Клиент', email: 'parent@example.org' }],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const version = created.body.version as number;
    expect((await prisma().consultation.findUniqueOrThrow({ where: { id } })).createdById).toBe(ids.socialWorkerId);

    const answers: [string, Answer][] = [
      ['create', created],
      ['get (booker)', await booker.api('GET', `/consultations/${id}`)],
      ['get (head)', await head.api('GET', `/consultations/${id}`)],
      ['get (specialist)', await (await as(spec)).api('GET', `/consultations/${id}`)],
      ['list', await head.api('GET', `/institutions/${ids.institutions.omsk}/consultations?from=${from}&to=${to}`)],
    ];
    const moved = await head.api('POST', `/consultations/${id}/reschedule`, { start: slots.at(-1), version });
    answers.push(['reschedule', moved]);
    answers.push([
      'cancel',
      await head.api('POST', `/consultations/${id}/cancel`, {
        reasonCategory: 'specialist_ill',
        reason: 'Заболел',
        version: moved.body.version,
      }),
    ]);
    for (const [what, answer] of answers) {
      expect([what, answer.status]).toEqual([what, what === 'create' ? 201 : 200]);
      const text = JSON.stringify(answer.body);
      expect([what, text.includes('/join/'), 'links' in answer.body]).toEqual([what, false, false]);
    }
    const listed = (answers[4]![1].body.consultations as { id: string }[]).map((c) => c.id);
    expect(listed).toContain(id);
  });
});

describe("a client's link is shown only to those who hand it over", () => {
  it('booker, responsible social worker and head see it (audited, no token in the row); admin, others and staff links: no', async () => {
    const responsible = await newStaff('social_worker');
    const requestId = await requestWithResponsible(responsible);
    const c = await openConsultation(ids.specialists.psychologist, ids.socialWorkerId, requestId);
    const path = linkPath(c.id, c.clientId);

    // Refused: the department admin (reads every consultation, hands nothing over), a social
    // worker neither booker nor responsible, the consultation's own specialist (not the booker).
    const admin = await as(await newStaff('admin'));
    const refusals: [string, Answer][] = [
      ['admin', await admin.api('GET', path)],
      ['another social worker', await (await as(await newStaff('social_worker'))).api('GET', path)],
      ['its specialist', await (await as(ids.specialists.psychologist)).api('GET', path)],
    ];
    for (const [who, answer] of refusals) {
      expect([who, answer.status, (answer.body.error as { code: string }).code]).toEqual([who, 403, 'forbidden']);
      expect(JSON.stringify(answer.body)).not.toContain('/join/');
    }
    // Reading the consultation itself stays as it was: the admin may, and sees no link there,
    // and the view tells each reader whether they hand the links over (the staff home's button).
    const read = await admin.api('GET', `/consultations/${c.id}`);
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain('/join/');
    expect(read.body.handsOverLinks).toBe(false);
    for (const [who, expected] of [
      [ids.specialists.psychologist, false],
      [ids.socialWorkerId, true],
      [responsible, true],
      [ids.headId, true],
    ] as const) {
      const view = await (await as(who)).api('GET', `/consultations/${c.id}`);
      expect([who, view.body.handsOverLinks]).toEqual([who, expected]);
    }
    // …and each refusal is audited like the router's.
    const denied = await prisma().auditEvent.findMany({ where: { action: 'access.denied', targetId: 'consultations.show_link' } });
    expect(denied.length).toBeGreaterThanOrEqual(3);

    // Allowed: the booker, the responsible social worker, the head — the same link each time.
    const shown: string[] = [];
    for (const who of [ids.socialWorkerId, responsible, ids.headId]) {
      const res = await (await as(who)).api('GET', path);
      expect([who, res.status]).toEqual([who, 200]);
      expect(res.body).toMatchObject({ participantId: c.clientId, generation: 1, url: expect.stringContaining('/join/') });
      shown.push(res.body.url as string);
      // The link page answers for it: a genuine client link.
      expect((await linkPage(tokenOf(res.body.url as string))).status).toBe(200);
    }
    expect(new Set(shown).size).toBe(1);
    const events = await prisma().auditEvent.findMany({
      where: { action: 'consultation.link_shown', targetId: c.clientId },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => e.actorId)).toEqual([ids.socialWorkerId, responsible, ids.headId]);
    for (const e of events) {
      expect(e).toMatchObject({ actorType: 'staff', targetType: 'participant', institutionId: ids.institutions.omsk });
      expect(e.details).toEqual({ consultationId: c.id, generation: 1 });
      expect(JSON.stringify({ ...e, id: String(e.id) })).not.toContain(tokenOf(shown[0]!));
    }

    // Staff have no link: the specialist participant's answers 404, for the head too.
    const head = await as(ids.headId);
    const staffLink = await head.api('GET', linkPath(c.id, c.specialistParticipantId));
    expect(staffLink.status).toBe(404);
    expect(JSON.stringify(staffLink.body)).not.toContain('/join/');
    expect((await head.api('POST', linkPath(c.id, c.specialistParticipantId), {})).status).toBe(404);
    // An unknown participant, and one of another consultation, are not found through this one.
    const other = await openConsultation(ids.specialists.psychologist, ids.headId);
    expect((await head.api('GET', linkPath(c.id, other.clientId))).status).toBe(404);
    // A revoked link is not shown again, nor replaced (revoking is for good).
    expect((await head.api('POST', `/consultations/${other.id}/participants/${other.clientId}/revoke-link`, {})).status).toBe(200);
    expect((await head.api('GET', linkPath(other.id, other.clientId))).status).toBe(409);
    expect((await head.api('POST', linkPath(other.id, other.clientId), {})).status).toBe(409);
    // A POST needs the session's CSRF token, like every other.
    const noCsrf = await fetch(`${stack.url}/api${path}`, {
      method: 'POST',
      headers: { cookie: head.cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noCsrf.status).toBe(403);
    expect((await prisma().participant.findUniqueOrThrow({ where: { id: c.clientId } })).linkGeneration).toBe(1);
  }, 30_000);
});

describe('«Выдать новую ссылку»', () => {
  it('the old link reads as revoked (page, join, network test), its holder leaves the room at once, the new one works', async () => {
    const c = await openConsultation(ids.specialists.psychologist, ids.socialWorkerId);
    const booker = await as(ids.socialWorkerId);
    const oldLink = (await booker.api('GET', linkPath(c.id, c.clientId))).body as LinkView;
    const oldToken = tokenOf(oldLink.url);

    // The specialist enters signed in and lets the client (old link) in.
    const specialist = await peer((await as(ids.specialists.psychologist)).cookie);
    ok(await specialist.request<Joined>('join', { consultationId: c.id }));
    const client = await peer();
    const joined = ok(await client.request<Joined>('join', { token: oldToken }));
    expect(joined.self.id).toBe(c.clientId);
    const admitted = client.next('admitted');
    ok(await specialist.request('admit', { peerId: c.clientId }));
    await admitted;

    const removed = client.next('removed');
    const left = specialist.next('peerLeft');
    const rotated = await booker.api('POST', linkPath(c.id, c.clientId), {});
    expect(rotated.status).toBe(200);
    const newLink = rotated.body as LinkView;
    expect(newLink).toMatchObject({ participantId: c.clientId, generation: 2 });
    expect(newLink.url).not.toBe(oldLink.url);
    // Out at once, not at its next event, and told why (its page says «ссылка отозвана»).
    expect(await removed).toEqual({ reason: 'link_revoked' });
    expect(await left).toEqual({ peerId: c.clientId });
    expect(
      stack.signalling.rooms
        .get(c.id)
        ?.members()
        .map((m) => m.peer.id),
    ).toEqual([c.specialistParticipantId]);

    // The old link: «ссылка отозвана» everywhere.
    const page = await linkPage(oldToken);
    expect(page.status).toBe(410);
    expect(await page.json()).toMatchObject({ error: { code: 'link_revoked' } });
    expect(errorCode(await client.request('join', { token: oldToken }))).toBe('link_revoked');
    expect(errorCode(await networkTestStart(await peer(), { token: oldToken }))).toBe('link_revoked');

    // The new link: its page, the network test and the room.
    const newToken = tokenOf(newLink.url);
    expect((await linkPage(newToken)).status).toBe(200);
    ok(await networkTestStart(await peer(), { token: newToken }));
    const again = await peer();
    const rejoined = ok(await again.request<Joined>('join', { token: newToken }));
    expect(rejoined.self.id).toBe(c.clientId);
    expect(rejoined.admission).toBe('waiting');

    // Shown again: the new one. Both events audited, with generations and no token.
    expect(((await booker.api('GET', linkPath(c.id, c.clientId))).body as LinkView).url).toBe(newLink.url);
    const rotations = await prisma().auditEvent.findMany({ where: { action: 'consultation.link_rotated', targetId: c.clientId } });
    expect(rotations.map((e) => [e.actorId, e.details])).toEqual([[ids.socialWorkerId, { consultationId: c.id, generation: 2 }]]);
    for (const e of rotations)
      expect(JSON.stringify({ ...e, id: String(e.id) })).not.toMatch(new RegExp(`${oldToken.slice(0, 20)}|${newToken.slice(0, 20)}`));

    specialist.close();
    again.close();
  }, 30_000);
});

describe('staff never enter by link', () => {
  it('a genuine token with a lead role is refused at join, on the link page and at the network test', async () => {
    const c = await openConsultation(ids.specialists.psychologist, ids.headId);
    for (const role of ['specialist', 'host', 'cohost', 'curator'] as const) {
      const token = stack.signalling.links.sign({
        consultationId: c.id,
        participantId: c.specialistParticipantId,
        role,
        generation: 1,
        expiresAt: new Date(Date.now() + 3600_000),
      });
      const p = await peer();
      expect([role, errorCode(await p.request('join', { token }))]).toEqual([role, 'invalid_token']);
      expect([role, errorCode(await networkTestStart(p, { token }))]).toEqual([role, 'invalid_token']);
      const page = await linkPage(token);
      expect([role, page.status]).toEqual([role, 404]);
    }
    expect(stack.signalling.rooms.get(c.id)).toBeUndefined();
  });
});

describe('a member of staff who loses their standing leaves open rooms at once', () => {
  it.each([
    ['deactivated', { active: false }],
    ['whose role changed', { role: 'social_worker' }],
  ] as const)(
    'a specialist %s is taken out, and cannot join again',
    async (_what, change) => {
      const specialistId = await newStaff('specialist');
      const c = await openConsultation(specialistId, ids.headId);
      const { cookie } = await as(specialistId);
      const specialist = await peer(cookie);
      ok(await specialist.request<Joined>('join', { consultationId: c.id }));
      const clientToken = tokenOf(((await (await as(ids.headId)).api('GET', linkPath(c.id, c.clientId))).body as LinkView).url);
      const client = await peer();
      ok(await client.request<Joined>('join', { token: clientToken }));
      ok(await specialist.request('admit', { peerId: c.clientId }));
      await waitFor(
        async () =>
          stack.signalling.rooms
            .get(c.id)
            ?.members()
            .every((m) => !m.waiting) ?? false,
      );

      const removed = specialist.next('removed');
      const left = client.next('peerLeft');
      const admin = await as(await newStaff('admin'));
      const res = await admin.api('PATCH', `/staff/${specialistId}`, change);
      expect(res.status).toBe(200);
      // Out now — not at the next event it might never send.
      expect(await removed).toEqual({ reason: 'access_ended' });
      expect(await left).toEqual({ peerId: c.specialistParticipantId });
      expect(
        stack.signalling.rooms
          .get(c.id)
          ?.members()
          .map((m) => m.peer.id),
      ).toEqual([c.clientId]);
      // Its session ended: neither this socket nor a new one gets back in, and it sends nothing.
      expect(errorCode(await specialist.request('join', { consultationId: c.id }))).toBe('unauthenticated');
      expect(errorCode(await (await peer(cookie)).request('join', { consultationId: c.id }))).toBe('unauthenticated');
      expect(errorCode(await specialist.request('sendChat', { text: 'Я ещё здесь' }))).toMatch(/^(unauthenticated|not_joined)$/);
      expect(await prisma().roomMessage.count({ where: { consultationId: c.id } })).toBe(0);
      client.close();
    },
    30_000,
  );
});
