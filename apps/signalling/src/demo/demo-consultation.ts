import { seedDemo, type PrismaClient } from '@dp/db';
import { clientRoleIn, mayJoin, staffRoleIn, type RoomRole } from '@dp/protocol';
import { issuePasswordLink, passwordLinkUrl } from '../auth/password-links.ts';
import { applyEvent, bookConsultation } from '../consultations/lifecycle-writer.ts';

const FIVE_MIN = 5 * 60_000;

/**
 * The demo data, and a consultation a newcomer can enter right now: today's demo
 * consultation if its room is open, otherwise a new one starting now (same specialist,
 * an anonymous client). Returns who may join it.
 */
export async function demoConsultation(
  prisma: PrismaClient,
  now = new Date(),
): Promise<{ consultationId: string; specialistId: string; specialistParticipantId: string; clientParticipantId: string }> {
  const ids = await seedDemo(prisma, { now });
  const today = await prisma.consultation.findUniqueOrThrow({
    where: { id: ids.consultationId },
    include: { specialists: true },
  });
  const specialistId = today.specialists[0]!.specialistId;
  if (mayJoin(today, 'client', now).ok) {
    return {
      consultationId: today.id,
      specialistId,
      specialistParticipantId: ids.participants.specialist,
      clientParticipantId: ids.participants.client,
    };
  }
  const created = await openNow(prisma, now, {
    institutionId: today.institutionId,
    kind: 'one_to_one',
    direction: 'specialist_client',
    mode: 'on_request',
    start: new Date(Math.floor(now.getTime() / FIVE_MIN) * FIVE_MIN),
    durationMinutes: 45,
    specialists: { create: [{ specialistId }] },
    participants: { create: [{ role: 'specialist', staffUserId: specialistId }, { role: 'client' }] },
  });
  const by = (role: 'specialist' | 'client') => created.participants.find((p) => p.role === role)!.id;
  return { consultationId: created.id, specialistId, specialistParticipantId: by('specialist'), clientParticipantId: by('client') };
}

/**
 * The demo specialist signs in like any member of staff (staff never enter a room by link):
 * a one-time link to set the password while none is set — each start issues a fresh one and
 * voids the previous — else null (sign in at /sign-in).
 */
export async function demoSpecialistSignIn(
  prisma: PrismaClient,
  specialistId: string,
  publicUrl: string,
  now = new Date(),
): Promise<{ email: string; url: string | null }> {
  const specialist = await prisma.staffUser.findUniqueOrThrow({ where: { id: specialistId }, select: { email: true, passwordHash: true } });
  if (specialist.passwordHash) return { email: specialist.email, url: null };
  const link = await issuePasswordLink(prisma, { staffUserId: specialistId, purpose: 'welcome', issuedById: null, now });
  return { email: specialist.email, url: passwordLinkUrl(publicUrl, link.token) };
}

export interface DemoRoom {
  consultationId: string;
  /** Who may join, in the order to print: the staff member first (who enters signed in, not by link). */
  participants: { id: string; role: RoomRole; label: string; linkGeneration: number }[];
}

/**
 * A webinar and a dyad starting now, led by the demo specialist, so a newcomer can try the
 * group rooms too: the webinar with three attendees, the dyad with its two clients.
 */
export async function demoGroupRooms(prisma: PrismaClient, consultationId: string, now = new Date()): Promise<DemoRoom[]> {
  const one = await prisma.consultation.findUniqueOrThrow({ where: { id: consultationId }, include: { specialists: true } });
  const specialistId = one.specialists[0]!.specialistId;
  const start = new Date(Math.floor(now.getTime() / FIVE_MIN) * FIVE_MIN);
  const rooms: DemoRoom[] = [];
  for (const [kind, clients] of [
    ['webinar', ['Участник 1', 'Участник 2', 'Участник 3']],
    ['dyad', ['Клиент 1', 'Клиент 2']],
  ] as const) {
    const created = await openNow(prisma, now, {
      institutionId: one.institutionId,
      kind,
      direction: kind === 'dyad' ? 'client_client' : 'specialist_client',
      mode: 'planned',
      start,
      durationMinutes: 45,
      specialists: { create: [{ specialistId }] },
      participants: {
        create: [
          { role: staffRoleIn(kind, 0), staffUserId: specialistId },
          ...clients.map((displayName) => ({ role: clientRoleIn(kind), displayName })),
        ],
      },
    });
    const label = (p: { role: RoomRole; displayName: string | null }) => p.displayName ?? (kind === 'dyad' ? 'Куратор' : 'Ведущий');
    rooms.push({
      consultationId: created.id,
      participants: created.participants.map((p) => ({ id: p.id, role: p.role, label: label(p), linkGeneration: p.linkGeneration })),
    });
  }
  return rooms;
}

/**
 * A demo consultation starting now, as the lifecycle has it: booked (no actor: the start
 * command), then admitting clients (`room_opened`, its start having come).
 */
async function openNow(prisma: PrismaClient, now: Date, data: Parameters<typeof bookConsultation>[1]) {
  const id = await prisma.$transaction(async (tx) => {
    const booked = await bookConsultation(tx, data, { actorId: null, at: now });
    await applyEvent(tx, booked, 'room_opened', { actorId: null, at: now });
    return booked;
  });
  return prisma.consultation.findUniqueOrThrow({ where: { id }, include: { participants: { orderBy: { createdAt: 'asc' } } } });
}
