import { seedDemo, type PrismaClient } from '@dp/db';
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
