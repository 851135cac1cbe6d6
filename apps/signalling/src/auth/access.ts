// The one place that turns the permission matrix (packages/protocol/src/permissions.ts)
// into allow / 401 / 403 / 404. The REST router and the socket dispatcher both call
// `decide`; handlers never check roles themselves.
import { grantOf, type Action, type Principal, type Scope } from '@dp/protocol';
import type { StaffPrincipal } from './session-store.ts';

/** Who is asking: a signed-in member of staff, a client's link, or nobody known. */
export type Caller = StaffPrincipal | { kind: 'client'; consultationId: string; participantId: string } | { kind: 'anyone' };

/** The record a call touches, as far as access is concerned. */
export interface Subject {
  institutionId: string;
  departmentId: string;
  /**
   * Staff ids who take part in it (a consultation's specialists and staff participants, a
   * schedule's specialist, a request's responsible specialist). Undefined on lists: the
   * handler then narrows to `ownerId` itself.
   */
  owners?: readonly string[];
  /** For a client's link: the consultation the record belongs to. */
  consultationId?: string;
}

export type Decision =
  | { allowed: true; scope: Scope; ownerId: string | null }
  | { allowed: false; status: 401 | 403 | 404; reason: 'unauthenticated' | 'role' | 'outside_scope' };

export function principalOf(caller: Caller): Principal {
  if (caller.kind === 'staff') return caller.user.role;
  return caller.kind === 'client' ? 'client' : 'anyone';
}

/**
 * The verdict for `caller` doing `action` on `subject` (null: the action touches no
 * institution's record, e.g. listing institutions or one's own sessions). Order matters:
 * a record outside the caller's reach answers 404 before the role is even considered, so
 * an id of another institution reads exactly like an unknown one.
 */
export function decide(action: Action, caller: Caller, subject: Subject | null): Decision {
  const publicGrant = grantOf(action, 'anyone');
  if (publicGrant === 'public') return { allowed: true, scope: 'public', ownerId: null };
  if (caller.kind === 'anyone') return { allowed: false, status: 401, reason: 'unauthenticated' };

  if (caller.kind === 'client') {
    const grant = grantOf(action, 'client');
    if (subject && subject.consultationId !== caller.consultationId) return { allowed: false, status: 404, reason: 'outside_scope' };
    if (!grant) return { allowed: false, status: 403, reason: 'role' };
    return { allowed: true, scope: grant, ownerId: null };
  }

  const user = caller.user;
  if (subject && !inReach(user, subject)) return { allowed: false, status: 404, reason: 'outside_scope' };
  const grant = grantOf(action, user.role);
  if (!grant) return { allowed: false, status: 403, reason: 'role' };
  if (grant === 'own') {
    if (subject?.owners && !subject.owners.includes(user.id)) return { allowed: false, status: 404, reason: 'outside_scope' };
    return { allowed: true, scope: grant, ownerId: user.id };
  }
  if (grant === 'department' && user.role !== 'admin' && subject && subject.institutionId !== user.institutionId) {
    return { allowed: false, status: 404, reason: 'outside_scope' };
  }
  return { allowed: true, scope: grant, ownerId: null };
}

/** An admin reaches their department; everyone else their own institution. */
function inReach(user: StaffPrincipal['user'], subject: Subject): boolean {
  if (user.role === 'admin') return subject.departmentId === user.departmentId;
  return user.institutionId !== null && subject.institutionId === user.institutionId;
}

/**
 * For routes that list or create across institutions (no single subject): the
 * institutions the caller may see — every one of the department for an admin, their own
 * otherwise.
 */
export function visibleInstitutions(user: StaffPrincipal['user']): { departmentId: string } | { id: string } {
  if (user.role === 'admin') return { departmentId: user.departmentId };
  return { id: user.institutionId ?? '00000000-0000-0000-0000-000000000000' };
}
