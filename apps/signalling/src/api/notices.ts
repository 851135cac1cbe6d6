// The bell (matrix scope `self`): the signed-in user's in-app notices, written by
// timetable/staff-notices.ts. Only the reader's own rows are ever read or changed.
import { contract, type StaffNotice } from '@dp/protocol';
import type { PrismaClient } from '@dp/db';
import { me } from './credentials.ts';
import { defineRoute, routeTable } from './route.ts';

const DAY = 86_400_000;
/** Read notices older than this drop off the list; unread ones stay whatever their age. */
const READ_KEPT_DAYS = 14;
const PAGE = 50;

const unreadOf = (prisma: PrismaClient, recipientId: string) => prisma.staffNotice.count({ where: { recipientId, readAt: null } });

export const noticeRoutes = routeTable([
  defineRoute(contract['notices.list'], {
    handler: async ({ access, deps }) => {
      const recipientId = me(access).user.id;
      const since = new Date(deps.now().getTime() - READ_KEPT_DAYS * DAY);
      const [rows, unread] = await Promise.all([
        deps.prisma.staffNotice.findMany({
          where: { recipientId, OR: [{ readAt: null }, { createdAt: { gte: since } }] },
          include: {
            consultation: {
              select: { id: true, start: true, state: true, kind: true, institution: { select: { timeZone: true } } },
            },
          },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: PAGE,
        }),
        unreadOf(deps.prisma, recipientId),
      ]);
      const notices: StaffNotice[] = rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        consultation: r.consultation
          ? {
              id: r.consultation.id,
              start: r.consultation.start.toISOString(),
              state: r.consultation.state,
              kind: r.consultation.kind,
              timeZone: r.consultation.institution.timeZone,
            }
          : null,
        createdAt: r.createdAt.toISOString(),
        readAt: r.readAt?.toISOString() ?? null,
      }));
      return { notices, unread };
    },
  }),

  defineRoute(contract['notices.read'], {
    handler: async ({ body, access, deps }) => {
      const recipientId = me(access).user.id;
      await deps.prisma.staffNotice.updateMany({
        // Someone else's ids change nothing (and say nothing about them).
        where: { recipientId, readAt: null, ...(body.ids ? { id: { in: body.ids } } : {}) },
        data: { readAt: deps.now() },
      });
      return { unread: await unreadOf(deps.prisma, recipientId) };
    },
  }),
]);
