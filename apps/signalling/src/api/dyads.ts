// Dyads: two families of the registry paired under a curator, with each one's motivation
// level; the dyad's consultations (consultations.create / create_series with `dyadId`) are its history.
import type { Prisma } from '@dp/db';
import { contract, type Dyad } from '@dp/protocol';
import { audit } from './audit.ts';
import { notFound } from './errors.ts';
import { staffOfInstitution } from './records.ts';
import { defineRoute, routeTable } from './route.ts';

const withMembers = {
  client1: { select: { id: true, representativeName: true } },
  client2: { select: { id: true, representativeName: true } },
  curator: { select: { id: true, displayName: true } },
  consultations: {
    select: { id: true, start: true, durationMinutes: true, state: true },
    orderBy: [{ start: 'asc' }, { id: 'asc' }],
  },
} as const satisfies Prisma.DyadInclude;
type DyadRow = Prisma.DyadGetPayload<{ include: typeof withMembers }>;

function dyadView(row: DyadRow): Dyad {
  return {
    id: row.id,
    institutionId: row.institutionId,
    members: [
      { clientId: row.client1.id, displayName: row.client1.representativeName, motivation: row.client1Motivation },
      { clientId: row.client2.id, displayName: row.client2.representativeName, motivation: row.client2Motivation },
    ],
    curator: row.curator,
    note: row.note,
    consultations: row.consultations.map((c) => ({
      id: c.id,
      start: c.start.toISOString(),
      durationMinutes: c.durationMinutes,
      state: c.state,
    })),
    createdAt: row.createdAt.toISOString(),
  };
}

export const dyadRoutes = routeTable([
  defineRoute(contract['dyads.list'], {
    institution: ({ params }) => params.institutionId,
    listsOwn: true,
    handler: async ({ institution, deps, access }) => {
      const rows = await deps.prisma.dyad.findMany({
        where: { institutionId: institution.id, ...(access.ownerId ? { curatorId: access.ownerId } : {}) },
        include: withMembers,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: 500,
      });
      return { dyads: rows.map(dyadView) };
    },
  }),

  defineRoute(contract['dyads.create'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ body }) => [body.curatorId],
    handler: async ({ body, institution, deps, actor }) => {
      await staffOfInstitution(deps.prisma, institution.id, [{ id: body.curatorId, field: 'curatorId' }], { activeOnly: true });
      const ids = body.members.map((m) => m.clientId);
      const found = await deps.prisma.client.findMany({
        where: { id: { in: ids }, institutionId: institution.id, archivedAt: null },
        select: { id: true },
      });
      const known = new Set(found.map((c) => c.id));
      const missing = body.members.flatMap((m, i) =>
        known.has(m.clientId) ? [] : [[`members.${i}.clientId`, 'no such client in this institution']],
      );
      if (missing.length > 0) throw notFound('client', Object.fromEntries(missing));
      const row = await deps.prisma.$transaction(async (tx) => {
        const created = await tx.dyad.create({
          data: {
            institutionId: institution.id,
            client1Id: body.members[0].clientId,
            client1Motivation: body.members[0].motivation,
            client2Id: body.members[1].clientId,
            client2Motivation: body.members[1].motivation,
            curatorId: body.curatorId,
            note: body.note ?? null,
          },
          include: withMembers,
        });
        await audit(tx, actor, {
          action: 'dyad.created',
          targetType: 'dyad',
          targetId: created.id,
          institutionId: institution.id,
          details: {
            curatorId: body.curatorId,
            motivation1: body.members[0].motivation,
            motivation2: body.members[1].motivation,
          },
        });
        return created;
      });
      return dyadView(row);
    },
  }),

  defineRoute(contract['dyads.get'], {
    institution: ({ params }) => params.institutionId,
    owners: async ({ params, deps }) => {
      const row = await deps.prisma.dyad.findFirst({
        where: { id: params.dyadId, institutionId: params.institutionId },
        select: { curatorId: true },
      });
      return row ? [row.curatorId] : [];
    },
    handler: async ({ params, institution, deps }) => {
      const row = await deps.prisma.dyad.findFirst({ where: { id: params.dyadId, institutionId: institution.id }, include: withMembers });
      if (!row) throw notFound('dyad');
      return dyadView(row);
    },
  }),
]);
