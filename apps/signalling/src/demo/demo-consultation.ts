import { seedDemo, type PrismaClient } from '@dp/db';
import { clientRoleIn, staffRoleIn, type RoomRole } from '@dp/protocol';
import { admission } from '@dp/scheduling';

const FIVE_MIN = 5 * 60_000;

/**
 * The demo data, and a consultation a newcomer can enter right now: today's demo
 * consultation if its room is open, otherwise a new one starting now (same specialist,
 * an anonymous client). Returns who may join it.
 */
export async function demoConsultation(
  prisma: PrismaClient,
  now = new Date(),
): Promise<{ consultationId: string; specialistParticipantId: string; clientParticipantId: string }> {
  const ids = await seedDemo(prisma, { now });
  const today = await prisma.consultation.findUniqueOrThrow({
    where: { id: ids.consultationId },
    include: { specialists: true },
  });
  if (admission(today, 'client', now).ok) {
    return { consultationId: today.id, specialistParticipantId: ids.participants.specialist, clientParticipantId: ids.participants.client };
  }
  const specialistId = today.specialists[0]!.specialistId;
  const created = await prisma.consultation.create({
    data: {
      institutionId: today.institutionId,
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      start: new Date(Math.floor(now.getTime() / FIVE_MIN) * FIVE_MIN),
      durationMinutes: 45,
      state: 'open',
      specialists: { create: [{ specialistId }] },
      participants: { create: [{ role: 'specialist', staffUserId: specialistId }, { role: 'client' }] },
    },
    include: { participants: true },
  });
  const by = (role: 'specialist' | 'client') => created.participants.find((p) => p.role === role)!.id;
  return { consultationId: created.id, specialistParticipantId: by('specialist'), clientParticipantId: by('client') };
}

export interface DemoRoom {
  consultationId: string;
  /** Who may join, in the order to print: the staff member first. */
  participants: { id: string; role: RoomRole; label: string }[];
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
    const created = await prisma.consultation.create({
      data: {
        institutionId: one.institutionId,
        kind,
        direction: kind === 'dyad' ? 'client_client' : 'specialist_client',
        mode: 'planned',
        start,
        durationMinutes: 45,
        state: 'open',
        specialists: { create: [{ specialistId }] },
        participants: {
          create: [
            { role: staffRoleIn(kind, 0), staffUserId: specialistId },
            ...clients.map((displayName) => ({ role: clientRoleIn(kind), displayName })),
          ],
        },
      },
      include: { participants: { orderBy: { createdAt: 'asc' } } },
    });
    const label = (p: { role: RoomRole; displayName: string | null }) => p.displayName ?? (kind === 'dyad' ? 'Куратор' : 'Ведущий');
    rooms.push({
      consultationId: created.id,
      participants: created.participants.map((p) => ({ id: p.id, role: p.role, label: label(p) })),
    });
  }
  return rooms;
}
