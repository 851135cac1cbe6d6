// Staff accounts. Only admins manage them (the matrix): create (with a one-time "set your
// password" link to hand over), rename, change role, (de)activate, reset the password, end
// the sessions. Department-level admin accounts are made with `pnpm admin:create` and are
// not reachable here (their ids answer 404), so an admin cannot lock the others out.
import { z } from 'zod';
import { Prisma, type SpecialistProfile, type StaffUser } from '@dp/db';
import {
  CreateStaffBody,
  DepartmentStaffQuery,
  InstitutionParams,
  PasswordLinkIssued,
  SignedOut,
  StaffCreated,
  StaffList,
  StaffListQuery,
  StaffMember,
  StaffParams,
  UpdateStaffBody,
} from '@dp/protocol';
import { issuePasswordLink, passwordLinkUrl } from '../auth/password-links.ts';
import { endSessionsOf } from '../auth/session-store.ts';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, notFound } from './errors.ts';
import { defineRoute } from './route.ts';

const tag = 'staff';

export function staffView(row: StaffUser & { specialistProfile: SpecialistProfile | null }): StaffMember {
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
  };
}

export const staffRoutes = [
  defineRoute({
    name: 'staff.list',
    method: 'get',
    path: '/institutions/:institutionId/staff',
    summary: "The institution's staff",
    tag,
    params: InstitutionParams,
    query: StaffListQuery,
    response: StaffList,
    institution: ({ params }) => params.institutionId,
    handler: async ({ query, institution, deps }) => {
      const rows = await deps.prisma.staffUser.findMany({
        where: { institutionId: institution.id, ...(query.role ? { role: query.role } : {}) },
        include: { specialistProfile: true },
        orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
      });
      return { staff: rows.map(staffView) };
    },
  }),

  defineRoute({
    name: 'staff.create',
    method: 'post',
    path: '/institutions/:institutionId/staff',
    summary: 'Add a member of staff (with a specialist profile for specialists)',
    tag,
    params: InstitutionParams,
    body: CreateStaffBody,
    response: StaffCreated,
    status: 201,
    errors: [409],
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
            include: { specialistProfile: true },
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

  defineRoute({
    name: 'staff.list_department',
    method: 'get',
    path: '/staff',
    summary: "Every member of staff of the admin's department (optionally one institution's)",
    tag,
    query: DepartmentStaffQuery,
    response: StaffList,
    institution: null,
    handler: async ({ query, access, deps }) => {
      const departmentId = access.caller!.user.departmentId;
      const rows = await deps.prisma.staffUser.findMany({
        where: {
          departmentId,
          ...(query.institutionId ? { institutionId: query.institutionId } : {}),
          ...(query.role ? { role: query.role } : {}),
        },
        include: { specialistProfile: true },
        orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
      });
      return { staff: rows.map(staffView) };
    },
  }),

  defineRoute({
    name: 'staff.get',
    method: 'get',
    path: '/staff/:staffId',
    summary: 'One member of staff',
    tag,
    params: StaffParams,
    response: StaffMember,
    errors: [404],
    institution: ({ params, deps }) => institutionOfStaff(deps, params.staffId),
    handler: async ({ params, deps }) => staffView(await loadStaff(deps, params.staffId)),
  }),

  defineRoute({
    name: 'staff.update',
    method: 'patch',
    path: '/staff/:staffId',
    summary: 'Rename, change the role, deactivate or reactivate',
    description:
      'Deactivating or changing the role ends every session of the account at once (they sign in again under the new role) ' +
      'and takes them out of every open room.',
    tag,
    params: StaffParams,
    body: UpdateStaffBody,
    response: StaffMember,
    errors: [404, 422],
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
          include: { specialistProfile: true },
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

  defineRoute({
    name: 'staff.password_link',
    method: 'post',
    path: '/staff/:staffId/password-link',
    summary: 'Issue a one-time link to set a new password (a reset ends every session of the account)',
    description: 'The link is valid 72 hours and is shown once, to hand over to the person; issuing another voids it.',
    tag,
    params: StaffParams,
    body: z.object({}).strict().optional(),
    response: PasswordLinkIssued,
    status: 201,
    errors: [404],
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

  defineRoute({
    name: 'staff.end_sessions',
    method: 'post',
    path: '/staff/:staffId/end-sessions',
    summary: 'End every session of a member of staff (a lost phone, a shared computer)',
    tag,
    params: StaffParams,
    body: z.object({}).strict().optional(),
    response: SignedOut,
    errors: [404],
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
];

/** Institution staff only: department-level admins answer 404 here. */
async function institutionOfStaff(deps: ApiDeps, staffId: string): Promise<string> {
  const row = await deps.prisma.staffUser.findUnique({ where: { id: staffId }, select: { institutionId: true } });
  if (!row?.institutionId) throw notFound('staff member');
  return row.institutionId;
}

async function loadStaff(deps: ApiDeps, staffId: string) {
  const row = await deps.prisma.staffUser.findUnique({ where: { id: staffId }, include: { specialistProfile: true } });
  if (!row) throw notFound('staff member');
  return row;
}
