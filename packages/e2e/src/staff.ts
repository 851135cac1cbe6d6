import type { PrismaClient } from '@dp/db';
import type { Page } from 'puppeteer-core';
import { generateSync } from 'otplib';
import { hashPassword } from '../../../apps/signalling/src/auth/passwords.ts';
import { newTotpSecret } from '../../../apps/signalling/src/auth/totp.ts';

// Members of staff for end-to-end tests: the account is made directly in the database with
// the product's own password hashing (and, for admins, a second factor); the sign-in is the
// real API call from the page, so the page holds a real session cookie.

const PASSWORD = 'зелёные яблоки в саду';

export interface TestStaff {
  id: string;
  email: string;
  displayName: string;
  /** Signs this member of staff in on `page` (which must be on the product's origin). */
  signIn(page: Page): Promise<void>;
}

let seq = 0;

/** A member of staff of the consultation's institution (and department). */
export async function staffOf(
  prisma: PrismaClient,
  consultationId: string,
  role: 'admin' | 'head' | 'specialist' | 'social_worker',
  displayName: string,
): Promise<TestStaff> {
  const c = await prisma.consultation.findUniqueOrThrow({
    where: { id: consultationId },
    select: { institutionId: true, institution: { select: { departmentId: true } } },
  });
  const email = `${role}-${Date.now()}-${++seq}@example.org`;
  // Admins must have a second factor before they can do anything.
  const totpSecret = role === 'admin' ? newTotpSecret() : null;
  const user = await prisma.staffUser.create({
    data: {
      email,
      displayName,
      role,
      institutionId: role === 'admin' ? null : c.institutionId,
      departmentId: c.institution.departmentId,
      passwordHash: await hashPassword(PASSWORD),
      passwordChangedAt: new Date(),
      ...(totpSecret ? { totpSecret, totpEnabledAt: new Date() } : {}),
    },
  });
  return {
    id: user.id,
    email,
    displayName,
    async signIn(page) {
      const body = { email, password: PASSWORD, ...(totpSecret ? { totp: generateSync({ secret: totpSecret }) } : {}) };
      const status = await page.evaluate(
        async (b) =>
          (await fetch('/api/auth/sign-in', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) }))
            .status,
        body,
      );
      if (status !== 200) throw new Error(`sign-in as ${role} answered ${status}`);
    },
  };
}

/**
 * The host's (or curator's) participant becomes a signed-in specialist, as when staff open
 * their room from their own link while signed in: the records panels (registry, private
 * notes) read the staff REST API with that session. Answers the staff id.
 */
export async function signInAsParticipant(
  prisma: PrismaClient,
  page: Page,
  consultationId: string,
  role: 'host' | 'curator',
  displayName: string,
): Promise<string> {
  const staff = await staffOf(prisma, consultationId, 'specialist', displayName);
  await prisma.participant.updateMany({ where: { consultationId, role }, data: { staffUserId: staff.id } });
  await staff.signIn(page);
  return staff.id;
}
