// Staff accounts. Only admins manage them (the matrix): create (with a one-time "set your
// password" link to hand over), rename, change role, (de)activate, reset the password, end
// the sessions. Department-level admin accounts are made with `pnpm admin:create` and are
// not reachable here (their ids answer 404), so an admin cannot lock the others out.
import { Prisma, type SpecialistProfile, type StaffUser } from '@dp/db';
import { contract, StaffMember } from '@dp/protocol';
import { issuePasswordLink, passwordLinkUrl } from '../auth/password-links.ts';
import { endSessionsOf } from '../auth/session-store.ts';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, notFound } from './errors.ts';
import { defineRoute, routeTable } from './route.ts';

/** What `staffView` needs loaded with a staff row: the profile and the newest session. */
const viewParts = {
  specialistProfile: true,
} as const satisfies Prisma.StaffUserInclude;

type StaffRow = StaffUser & { specialistProfile: SpecialistProfile | null };

export function staffView(row: StaffRow): StaffMember {
  return {
    id: row.id,
    institutionId: row.institutionId,
    departmentId: row.departmentId,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    active: row.active,
    specialist: row.specialistProfile ? { profession: row.specialistProfile.profession, title: row.specialistProfile.title } : null,
    createdAt: row.createdAt.toISOString(),
    passwordSet: row.passwordHash !== null,
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
  };
}

export const staffRoutes = routeTable([
  defineRoute(contract['staff.list'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ query, institution, deps }) => {
      const rows = await deps.prisma.staffUser.findMany({
        where: { institutionId: institution.id, ...(query.role ? { role: query.role } : {}) },
        include: viewParts,
        orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
      });
      return { staff: rows.map(staffView) };
    },
  }),

  defineRoute(contract['staff.create'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ body, institution, deps, actor }) => {
      try {
        const row = await deps.prisma.$transaction(async (tx) => {
          const created = await tx.staffUser.create({
            data: {
              email: body.email,
              displayName: body.displayName,
              role: body.role,
              institutionId: institution.id,
              departmentId: institution.departmentId,
              ...(body.specialist ? { specialistProfile: { create: body.specialist } } : {}),
            },
            include: viewParts,
          });
          // The e-mail and the name are personal data: the event names the role only.
          await audit(tx, actor, {
            action: 'staff.created',
            targetType: 'staff_user',
            targetId: created.id,
            institutionId: institution.id,
            details: { role: body.role },
          });
          const link = await issuePasswordLink(tx, { staffUserId: created.id, purpose: 'welcome', issuedById: actor.id, now: deps.now() });
          return { created, link };
        });
        return {
          ...staffView(row.created),
          passwordLink: { url: passwordLinkUrl(deps.publicUrl, row.link.token), expiresAt: row.link.expiresAt.toISOString() },
        };
      } catch (e) {
        if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
          throw new HttpError(409, 'conflict', 'email: already used by another member of staff', {
            email: 'already used by another member of staff',
          });
        }
        throw e;
      }
    },
  }),

  defineRoute(contract['staff.list_department'], {
    handler: async ({ query, access, deps }) => {
      const departmentId = access.caller!.user.departmentId;
      const rows = await deps.prisma.staffUser.findMany({
        where: {
          departmentId,
          ...(query.institutionId ? { institutionId: query.institutionId } : {}),
          ...(query.role ? { role: query.role } : {}),
        },
        include: viewParts,
        orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
      });
      return { staff: rows.map(staffView) };
    },
  }),

  defineRoute(contract['staff.get'], {
    institution: ({ params, deps }) => institutionOfStaff(deps, params.staffId),
    handler: async ({ params, deps }) => staffView(await loadStaff(deps, params.staffId)),
  }),

  defineRoute(contract['staff.update'], {
    institution: ({ params, deps }) => institutionOfStaff(deps, params.staffId),
    handler: async ({ params, body, deps, actor, institution }) => {
      const before = await loadStaff(deps, params.staffId);
      const role = body.role ?? before.role;
      if (role === 'specialist' && !before.specialistProfile && !body.specialist) {
        throw new HttpError(422, 'rule_violation', 'a specialist needs a profile', {
          specialist: 'a specialist needs a profile (profession and title)',
        });
      }
      const roleChanged = body.role !== undefined && body.role !== before.role;
      const deactivated = body.active === false && before.active;
      const row = await deps.prisma.$transaction(async (tx) => {
        const updated = await tx.staffUser.update({
          where: { id: before.id },
          data: {
            ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
            ...(body.role !== undefined ? { role: body.role } : {}),
            ...(body.active !== undefined ? { active: body.active } : {}),
            ...(body.specialist ? { specialistProfile: { upsert: { create: body.specialist, update: body.specialist } } } : {}),
          },
          include: viewParts,
        });
        if (roleChanged || deactivated) {
          await endSessionsOf(tx, before.id, deactivated ? 'deactivated' : 'role_changed', deps.now());
        }
        const details: Record<string, string | boolean> = {};
        if (roleChanged) Object.assign(details, { from: before.role, to: role });
        if (body.active !== undefined && body.active !== before.active) details.active = body.active;
        if (body.displayName !== undefined) details.renamed = true;
        await audit(tx, actor, {
          action: roleChanged ? 'staff.role_changed' : deactivated ? 'staff.deactivated' : 'staff.updated',
          targetType: 'staff_user',
          targetId: before.id,
          institutionId: institution.id,
          details,
        });
        return updated;
      });
      // After the commit: their seats in open rooms go now, not at their next event (the
      // ended sessions keep them from joining again).
      if (roleChanged || deactivated) await deps.rooms?.takeOutStaff(before.id);
      return staffView(row);
    },
  }),

  defineRoute(contract['staff.password_link'], {
    institution: ({ params, deps }) => institutionOfStaff(deps, params.staffId),
    handler: async ({ params, deps, actor, institution }) => {
      const staff = await loadStaff(deps, params.staffId);
      const purpose: 'reset' | 'welcome' = staff.passwordHash ? 'reset' : 'welcome';
      const link = await deps.prisma.$transaction(async (tx) => {
        const issued = await issuePasswordLink(tx, { staffUserId: staff.id, purpose, issuedById: actor.id, now: deps.now() });
        if (purpose === 'reset') {
          await tx.staffUser.update({ where: { id: staff.id }, data: { passwordHash: null } });
          await endSessionsOf(tx, staff.id, 'password_reset', deps.now());
        }
        await audit(tx, actor, {
          action: 'staff.password_link_issued',
          targetType: 'staff_user',
          targetId: staff.id,
          institutionId: institution.id,
          details: { purpose },
        });
        return issued;
      });
      if (purpose === 'reset') await deps.rooms?.takeOutStaff(staff.id);
      return { url: passwordLinkUrl(deps.publicUrl, link.token), expiresAt: link.expiresAt.toISOString(), purpose };
    },
  }),

  defineRoute(contract['staff.end_sessions'], {
    institution: ({ params, deps }) => institutionOfStaff(deps, params.staffId),
    handler: async ({ params, deps, actor, institution }) => {
      const n = await deps.auth.sessions.endAll(params.staffId, 'ended_by_admin');
      await deps.rooms?.takeOutStaff(params.staffId);
      await audit(deps.prisma, actor, {
        action: 'session.ended',
        targetType: 'staff_user',
        targetId: params.staffId,
        institutionId: institution.id,
        details: { by: 'admin', sessions: n },
      });
      return { signedOut: n };
    },
  }),
]);

/** Institution staff only: department-level admins answer 404 here. */
async function institutionOfStaff(deps: ApiDeps, staffId: string): Promise<string> {
  const row = await deps.prisma.staffUser.findUnique({ where: { id: staffId }, select: { institutionId: true } });
  if (!row?.institutionId) throw notFound('staff member');
  return row.institutionId;
}

async function loadStaff(deps: ApiDeps, staffId: string) {
  const row = await deps.prisma.staffUser.findUnique({ where: { id: staffId }, include: viewParts });
  if (!row) throw notFound('staff member');
  return row;
}
