// Staff of an institution. No passwords here: the access issue issues them.
import { Prisma, type SpecialistProfile, type StaffUser } from '@dp/db';
import { CreateStaffBody, InstitutionParams, StaffList, StaffListQuery, StaffMember } from '@dp/protocol';
import { audit } from './audit.ts';
import { HttpError } from './errors.ts';
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
    response: StaffMember,
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
          return created;
        });
        return staffView(row);
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
];
