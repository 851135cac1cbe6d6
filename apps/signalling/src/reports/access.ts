// Who is «the resource centre» of a department: its admin, or a head of one of its
// institutions flagged `resourceCentre`. The matrix grants heads 'department' on these rows;
// the handlers narrow it here (403 with a Russian message for a head of an ordinary one).
import type { StaffPrincipal } from '../auth/session-store.ts';
import { HttpError, notFound } from '../api/errors.ts';
import type { Db } from './figures.ts';

type User = StaffPrincipal['user'];

export async function isResourceCentre(db: Db, user: User, departmentId: string): Promise<boolean> {
  if (user.departmentId !== departmentId) return false;
  if (user.role === 'admin') return true;
  if (user.role !== 'head' || !user.institutionId) return false;
  const own = await db.institution.findUnique({ where: { id: user.institutionId }, select: { resourceCentre: true, departmentId: true } });
  return own?.resourceCentre === true && own.departmentId === departmentId;
}

/** 404 for another department's id (never confirmed), 403 for a head who is not the resource centre. */
export async function requireResourceCentre(db: Db, user: User | undefined, departmentId: string): Promise<void> {
  if (!user || user.departmentId !== departmentId) throw notFound('department');
  if (!(await isResourceCentre(db, user, departmentId)))
    throw new HttpError(
      403,
      'forbidden',
      'Это может только ресурсный центр департамента (руководитель учреждения — ресурсного центра) или администратор',
    );
}

/** The institution of a department-level call, 404 when it is outside the caller's department. */
export async function departmentInstitution(db: Db, user: User | undefined, institutionId: string) {
  const institution = await db.institution.findUnique({ where: { id: institutionId } });
  if (!institution || !user || institution.departmentId !== user.departmentId) throw notFound('institution');
  return institution;
}
