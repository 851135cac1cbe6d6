// Records for tests that act as many people at once (the fuzzer, the sensitive-grants table,
// the in-room events per role), made directly in the stack's database: staff with a live
// session and its CSRF token, consultations of each kind with their staff participants, a
// request, and a client's link signed as the server signs it.
import { randomBytes } from 'node:crypto';
import { allocateRequestNumber, type StaffRole } from '@dp/db';
import { SESSION_COOKIE, type RoomRole } from '@dp/protocol';
import { SessionStore } from '../src/auth/session-store.ts';
import { bookConsultation, forceStateForTest } from '../src/consultations/lifecycle-writer.ts';
import type { Stack } from './harness.ts';

export interface Inst {
  id: string;
  departmentId: string;
}

export interface StaffIdentity {
  id: string;
  role: StaffRole;
  email: string;
  cookie: string;
  csrf: string;
}

let seq = 0;

/** A member of staff with a live session (no password is checked: the session is made directly). */
export async function staffMember(
  stack: Stack,
  role: StaffRole,
  where: { institutionId: string | null; departmentId: string },
): Promise<StaffIdentity> {
  const n = ++seq;
  const prisma = stack.signalling.prisma;
  const user = await prisma.staffUser.create({
    data: {
      email: `${role}-${n}-${randomBytes(4).toString('hex')}@example.org`,
      displayName: `${role} ${n}`,
      role,
      institutionId: where.institutionId,
      departmentId: where.departmentId,
      // Not a usable argon2 hash: nobody signs in with a password here, but a null hash means «no access yet».
      passwordHash: 'not-used-here',
      ...(role === 'specialist' ? { specialistProfile: { create: { profession: 'psychologist', title: 'Педагог-психолог' } } } : {}),
    },
  });
  return { id: user.id, role, email: user.email, ...(await sessionOf(stack, user.id)) };
}

/** A new session of an existing member of staff: its cookie and CSRF token. */
export async function sessionOf(stack: Stack, staffUserId: string): Promise<{ cookie: string; csrf: string }> {
  const prisma = stack.signalling.prisma;
  const user = await prisma.staffUser.findUniqueOrThrow({ where: { id: staffUserId } });
  const store = new SessionStore(prisma, { idleSeconds: 3600, absoluteSeconds: 12 * 3600 }, () => new Date());
  const { token, principal } = await store.create(user, { stage: 'active', ip: '127.0.0.1', userAgent: 'jest' });
  return { cookie: `${SESSION_COOKIE}=${token}`, csrf: principal.csrfToken };
}

export interface Seated {
  id: string;
  /** Participant ids by role (several clients or attendees in order). */
  participants: { id: string; role: RoomRole; staffUserId: string | null }[];
}

const DIRECTION = { one_to_one: 'specialist_client', webinar: 'specialist_client', dyad: 'client_client' } as const;

/**
 * A consultation open now. `staff` are its staff participants (the first specialist-like one
 * is also listed as its specialist); `clients` how many client participants (clients of a
 * one-to-one or a dyad, attendees of a webinar), each with an e-mail.
 */
export async function openConsultation(
  stack: Stack,
  where: Inst,
  kind: 'one_to_one' | 'webinar' | 'dyad',
  staff: { userId: string; role: RoomRole }[],
  opts: { clients?: number; createdById?: string; requestId?: string; specialistIds?: string[] } = {},
): Promise<Seated> {
  const prisma = stack.signalling.prisma;
  const clientRole: RoomRole = kind === 'webinar' ? 'attendee' : 'client';
  const specialistIds =
    opts.specialistIds ??
    staff
      .filter((s) => s.role !== 'curator')
      .map((s) => s.userId)
      .slice(0, 1);
  // Booked and walked to `open` through the lifecycle table (its one test-only entry).
  const c = {
    id: await bookConsultation(
      prisma,
      {
        institutionId: where.id,
        kind,
        direction: DIRECTION[kind],
        mode: 'on_request',
        start: new Date(Date.now() - 60_000),
        durationMinutes: 45,
        ...(opts.createdById ? { createdById: opts.createdById } : {}),
        ...(opts.requestId ? { requestId: opts.requestId } : {}),
        specialists: { create: specialistIds.map((specialistId) => ({ specialistId })) },
      },
      { actorId: null, at: new Date() },
    ),
  };
  await forceStateForTest(prisma, c.id, 'open');
  const participants: Seated['participants'] = [];
  for (const s of staff) {
    const p = await prisma.participant.create({
      data: { consultationId: c.id, role: s.role, staffUserId: s.userId, displayName: `Сотрудник ${s.role}` },
    });
    participants.push({ id: p.id, role: s.role, staffUserId: s.userId });
  }
  for (let i = 0; i < (opts.clients ?? 1); i++) {
    const p = await prisma.participant.create({
      data: {
        consultationId: c.id,
        role: clientRole,
        displayName: `Клиент ${i + 1}`,
        email: `client-${randomBytes(3).toString('hex')}@example.org`,
      },
    });
    participants.push({ id: p.id, role: clientRole, staffUserId: null });
  }
  return { id: c.id, participants };
}

/** A client participant's current link, as the server signs it (its generation from the database). */
export async function linkOf(stack: Stack, participantId: string): Promise<string> {
  const p = await stack.signalling.prisma.participant.findUniqueOrThrow({ where: { id: participantId } });
  return stack.signalling.links.sign({
    consultationId: p.consultationId,
    participantId: p.id,
    role: p.role,
    generation: p.linkGeneration,
    expiresAt: new Date(Date.now() + 3600_000),
  });
}

/** A request in the journal with a contact, `responsibleId` responsible for it. */
export async function journalRequest(
  stack: Stack,
  institutionId: string,
  responsibleId: string | null,
  registeredById: string | null,
): Promise<string> {
  const prisma = stack.signalling.prisma;
  const receivedAt = new Date();
  const year = receivedAt.getUTCFullYear();
  const number = await allocateRequestNumber(prisma, institutionId, year);
  const r = await prisma.request.create({
    data: {
      institutionId,
      year,
      number,
      receivedAt,
      channel: 'phone',
      contact: '+7 900 000-00-00',
      fromWhom: 'Мать ребёнка',
      reason: 'Трудности в школе',
      responsibleSpecialistId: responsibleId,
      registeredById,
    },
  });
  return r.id;
}
