// GET /api/audit: admins read the audit log of their department (events of its
// institutions, of its staff and sign-in attempts on its accounts — and the failed sign-ins
// for unknown e-mails, which belong to no department and are shown to every admin), newest
// first, filtered by user, action and period. Nobody can change it: there is no route for that, and the
// database refuses UPDATE and DELETE on audit_events.
import type { Prisma } from '@dp/db';
import { contract } from '@dp/protocol';
import { defineRoute, routeTable } from './route.ts';

export const auditRoutes = routeTable([
  defineRoute(contract['audit.list'], {
    handler: async ({ query, access, deps }) => {
      const departmentId = access.caller!.user.departmentId;
      const [institutions, staff] = await Promise.all([
        deps.prisma.institution.findMany({ where: { departmentId }, select: { id: true } }),
        deps.prisma.staffUser.findMany({ where: { departmentId }, select: { id: true, displayName: true } }),
      ]);
      const staffIds = staff.map((s) => s.id);
      const names = new Map(staff.map((s) => [s.id, s.displayName]));
      const where: Prisma.AuditEventWhereInput = {
        AND: [
          // The department's: its institutions, or an actor or target among its staff.
          {
            OR: [
              { institutionId: { in: institutions.map((i) => i.id) } },
              { actorId: { in: staffIds } },
              { targetType: 'staff_user', targetId: { in: staffIds } },
              // Sign-in failures and locks for an e-mail that matches no account belong to no
              // department: every admin sees them (only the address and the time, no e-mail).
              { targetType: 'staff_user', targetId: 'unknown', institutionId: null, action: { startsWith: 'auth.' } },
            ],
          },
          query.actorId ? { actorId: query.actorId } : {},
          query.action ? (query.action.endsWith('.') ? { action: { startsWith: query.action } } : { action: query.action }) : {},
          query.from ? { at: { gte: new Date(query.from) } } : {},
          query.to ? { at: { lt: new Date(query.to) } } : {},
          query.before ? { id: { lt: BigInt(query.before) } } : {},
        ],
      };
      const rows = await deps.prisma.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      return {
        events: page.map((r) => ({
          id: r.id.toString(),
          at: r.at.toISOString(),
          actorType: r.actorType,
          actorId: r.actorId,
          actorName: r.actorType === 'staff' && r.actorId ? (names.get(r.actorId) ?? null) : null,
          action: r.action,
          targetType: r.targetType,
          targetId: r.targetId,
          institutionId: r.institutionId,
          ip: r.ip,
          details: (r.details as Record<string, unknown> | null) ?? null,
        })),
        nextBefore: rows.length > query.limit ? page.at(-1)!.id.toString() : null,
      };
    },
  }),
]);
