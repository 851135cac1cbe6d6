import type { PrismaClient } from '@dp/db';
import { SESSION_COOKIE } from '@dp/protocol';
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
  /** Signs in from Node (a socket.io client's `Cookie` header): the `name=value` of the session cookie. */
  sessionCookie(origin: string): Promise<string>;
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
      // A specialist has a profile, as the staff page makes one (the API insists on it).
      ...(role === 'specialist' ? { specialistProfile: { create: { profession: 'psychologist', title: 'Педагог-психолог' } } } : {}),
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
    async sessionCookie(origin) {
      const body = { email, password: PASSWORD, ...(totpSecret ? { totp: generateSync({ secret: totpSecret }) } : {}) };
      const res = await fetch(`${origin}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`sign-in as ${role} answered ${res.status}`);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
      if (!cookie) throw new Error('sign-in set no session cookie');
      return cookie.split(';')[0]!;
    },
  };
}
