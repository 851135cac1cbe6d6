// The first admin of an installation (and any later department admin): created without a
// password, with a one-time link to set one — printed once by the start command's demo
// data or by `pnpm admin:create`, never stored. Running it again for an admin who has not
// set a password yet issues a fresh link (the old one stops working); for one who has, it
// issues a reset link only when asked to.
import type { PrismaClient } from '@dp/db';
import { issuePasswordLink, passwordLinkUrl } from './password-links.ts';

export interface FirstAdminInput {
  email: string;
  displayName: string;
  /** The department to manage: an existing one by id, or by name (created when missing). */
  departmentId?: string;
  departmentName?: string;
  /** Issue a reset link although the account already has a password. */
  reset?: boolean;
}

export interface FirstAdminResult {
  staffId: string;
  departmentId: string;
  created: boolean;
  /** Null when the account already has a password and no reset was asked for. */
  url: string | null;
  expiresAt: Date | null;
}

export async function issueFirstAdmin(
  prisma: PrismaClient,
  input: FirstAdminInput,
  publicUrl: string,
  now = new Date(),
): Promise<FirstAdminResult> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error(`not an e-mail address: ${input.email}`);
  return prisma.$transaction(async (tx) => {
    const existing = await tx.staffUser.findUnique({ where: { email } });
    if (existing && existing.role !== 'admin') throw new Error(`${email} already belongs to a member of staff who is not an admin`);
    let departmentId = existing?.departmentId ?? input.departmentId;
    if (!departmentId) {
      const name = input.departmentName?.trim() || 'Департамент';
      const found = await tx.department.findFirst({ where: { name }, orderBy: { createdAt: 'asc' } });
      departmentId = found?.id ?? (await tx.department.create({ data: { name } })).id;
    } else if (!(await tx.department.findUnique({ where: { id: departmentId } }))) {
      throw new Error(`no department ${departmentId}`);
    }
    const admin =
      existing ??
      (await tx.staffUser.create({ data: { email, displayName: input.displayName, role: 'admin', institutionId: null, departmentId } }));
    await tx.auditEvent.create({
      data: {
        actorType: 'system',
        action: existing ? 'staff.admin_link_issued' : 'staff.admin_created',
        targetType: 'staff_user',
        targetId: admin.id,
      },
    });
    if (admin.passwordHash && !input.reset) {
      return { staffId: admin.id, departmentId, created: !existing, url: null, expiresAt: null };
    }
    const purpose = admin.passwordHash ? 'reset' : 'welcome';
    const link = await issuePasswordLink(tx, { staffUserId: admin.id, purpose, issuedById: null, now });
    return { staffId: admin.id, departmentId, created: !existing, url: passwordLinkUrl(publicUrl, link.token), expiresAt: link.expiresAt };
  });
}
