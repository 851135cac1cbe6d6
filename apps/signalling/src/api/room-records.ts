// What a room leaves in the consultation's record, for staff: the group registry (реестр
// участников) filled by the room itself, the host's notes on it, the chat, and the curator's
// private notes. Clients never reach these (they have no session); the matrix decides who does.
import type { PrismaClient } from '@dp/db';
import { ConsultationNote, ConsultationParams, contract, RegistryEntry } from '@dp/protocol';
import { audit } from './audit.ts';
import { institutionOfConsultation, staffOfConsultation } from '../consultations/consultation-records.ts';
import { notFound } from './errors.ts';
import { defineRoute, routeTable } from './route.ts';
import { labelOf, prismaRoomRecords } from '../rooms/room-store.ts';

const MINUTE = 60_000;

/** A registry row's participant (room-records and the registry's export read the same). */
export const registryParticipantSelect = {
  id: true,
  role: true,
  displayName: true,
  registryNote: true,
  staffUser: { select: { displayName: true } },
  visits: { select: { joinedAt: true, leftAt: true }, orderBy: { joinedAt: 'asc' } },
} as const;

type ParticipantRow = {
  id: string;
  role: RegistryEntry['role'];
  displayName: string | null;
  registryNote: string | null;
  staffUser: { displayName: string } | null;
  visits: { joinedAt: Date; leftAt: Date | null }[];
};

/** One registry line from a participant and its stays; an open stay counts up to `now`. */
export function registryEntry(p: ParticipantRow, now: Date): RegistryEntry {
  const ms = p.visits.reduce((sum, v) => sum + Math.max(0, (v.leftAt ?? now).getTime() - v.joinedAt.getTime()), 0);
  const last = p.visits.at(-1);
  return {
    participantId: p.id,
    role: p.role,
    label: labelOf(p),
    firstJoinedAt: p.visits[0]?.joinedAt.toISOString() ?? null,
    lastLeftAt: last?.leftAt?.toISOString() ?? null,
    minutesPresent: Math.floor(ms / MINUTE),
    visits: p.visits.length,
    note: p.registryNote,
  };
}

async function participantOf(prisma: PrismaClient, consultationId: string, participantId: string): Promise<ParticipantRow> {
  const row = await prisma.participant.findFirst({ where: { id: participantId, consultationId }, select: registryParticipantSelect });
  if (!row) throw notFound('participant');
  return row as ParticipantRow;
}

const noteSelect = { id: true, authorId: true, body: true, createdAt: true, author: { select: { displayName: true } } } as const;

const consultationRoute = {
  institution: ({ params, deps }: { params: ConsultationParams; deps: { prisma: PrismaClient } }) =>
    institutionOfConsultation(deps, params.consultationId),
  owners: ({ params, deps }: { params: ConsultationParams; deps: { prisma: PrismaClient } }) =>
    staffOfConsultation(deps, params.consultationId),
} as const;

export const roomRecordRoutes = routeTable([
  defineRoute(contract['consultations.registry'], {
    ...consultationRoute,
    handler: async ({ params, deps }) => {
      const c = await deps.prisma.consultation.findUniqueOrThrow({
        where: { id: params.consultationId },
        select: {
          id: true,
          kind: true,
          start: true,
          topic: true,
          participants: { select: registryParticipantSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
        },
      });
      const now = deps.now();
      return {
        consultationId: c.id,
        kind: c.kind,
        start: c.start.toISOString(),
        topic: c.topic,
        participants: (c.participants as ParticipantRow[]).map((p) => registryEntry(p, now)),
      };
    },
  }),

  defineRoute(contract['consultations.registry_note'], {
    ...consultationRoute,
    handler: async ({ params, body, institution, deps, actor }) => {
      await participantOf(deps.prisma, params.consultationId, params.participantId);
      await deps.prisma.$transaction(async (tx) => {
        await tx.participant.update({ where: { id: params.participantId }, data: { registryNote: body.note === '' ? null : body.note } });
        await audit(tx, actor, {
          action: 'registry.note_set',
          targetType: 'participant',
          targetId: params.participantId,
          institutionId: institution.id,
          details: { consultationId: params.consultationId, cleared: body.note === '' },
        });
      });
      return registryEntry(await participantOf(deps.prisma, params.consultationId, params.participantId), deps.now());
    },
  }),

  defineRoute(contract['consultations.chat'], {
    ...consultationRoute,
    handler: async ({ params, deps }) => ({ messages: await prismaRoomRecords(deps.prisma, params.consultationId).chatHistory() }),
  }),

  defineRoute(contract['consultations.notes_list'], {
    ...consultationRoute,
    handler: async ({ params, deps }) => {
      const rows = await deps.prisma.consultationNote.findMany({
        where: { consultationId: params.consultationId },
        orderBy: { createdAt: 'asc' },
        select: noteSelect,
      });
      return { notes: rows.map(noteView) };
    },
  }),

  defineRoute(contract['consultations.notes_create'], {
    ...consultationRoute,
    handler: async ({ params, body, institution, deps, actor }) => {
      const authorId = actor.id!; // a signed-in member of staff: the matrix grants this to no one else
      const row = await deps.prisma.$transaction(async (tx) => {
        const created = await tx.consultationNote.create({
          data: { consultationId: params.consultationId, authorId, body: body.body },
          select: noteSelect,
        });
        await audit(tx, actor, {
          action: 'consultation.note_added',
          targetType: 'consultation_note',
          targetId: created.id,
          institutionId: institution.id,
          details: { consultationId: params.consultationId },
        });
        return created;
      });
      return noteView(row);
    },
  }),
]);

function noteView(r: { id: string; authorId: string; body: string; createdAt: Date; author: { displayName: string } }): ConsultationNote {
  return { id: r.id, authorId: r.authorId, authorName: r.author.displayName, body: r.body, createdAt: r.createdAt.toISOString() };
}
