// What the sign-in and account routes share (auth.ts, account.ts): the session as the page
// reads it, the caller, and one password attempt under the lock-out.
import type { StaffUser } from '@dp/db';
import type { SessionInfo } from '@dp/protocol';
import type { StaffPrincipal } from '../auth/session-store.ts';
import { GuardBusy, type Attempt, type GuardVerdict } from '../auth/sign-in-guard.ts';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, badRequest } from './errors.ts';
import type { Actor } from './actor.ts';
import type { HttpContext, RouteAccess } from './route.ts';

export function sessionInfo(p: StaffPrincipal, deps: ApiDeps): SessionInfo {
  return {
    user: p.user,
    stage: p.stage,
    csrfToken: p.csrfToken,
    expiresAt: p.expiresAt.toISOString(),
    idleTimeoutSeconds: deps.auth.sessions.idleSeconds,
    serverNow: deps.now().toISOString(),
  };
}

/** The router guarantees a caller on every non-public route. */
export function me(access: RouteAccess): StaffPrincipal {
  if (!access.caller) throw new HttpError(401, 'unauthenticated', 'sign in first');
  return access.caller;
}

export function invalidCredentials(): HttpError {
  return new HttpError(401, 'invalid_credentials', 'wrong e-mail, password or code');
}

export function tooManyAttempts(seconds: number, setHeader: (n: string, v: string) => void): HttpError {
  setHeader('Retry-After', String(seconds));
  return new HttpError(429, 'too_many_attempts', `too many failed attempts: try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

export async function loadUser(deps: ApiDeps, id: string): Promise<StaffUser> {
  return deps.prisma.staffUser.findUniqueOrThrow({ where: { id } });
}

/**
 * One password attempt under the lock-out (auth/sign-in-guard.ts): the e-mail's and the
 * address's budgets are spent BEFORE argon2 runs, so parallel requests cannot evaluate more
 * passwords than the budget, and a locked e-mail is refused without looking at the password.
 * `judge` checks the credentials with the attempt's capped checkPassword and says whether
 * they are right; `value` is whatever the caller needs next (the account, the code's step).
 */
export async function attemptPassword<T>(
  deps: ApiDeps,
  http: HttpContext,
  email: string,
  judge: (check: Attempt['checkPassword']) => Promise<{ right: boolean; value: T }>,
): Promise<{ right: true; value: T } | { right: false; value: T; lock: GuardVerdict }> {
  const start = await deps.auth.guard.begin(email, http.ip ?? 'unknown');
  if (start.locked) throw tooManyAttempts(start.retryAfterSeconds, http.setHeader);
  const { attempt } = start;
  let judged: { right: boolean; value: T };
  try {
    judged = await judge((hash, password) => attempt.checkPassword(hash, password));
  } catch (e) {
    await attempt.refund(); // never evaluated: the budget is not the caller's to lose
    if (e instanceof GuardBusy) throw tooManyAttempts(e.retryAfterSeconds, http.setHeader);
    throw e;
  }
  if (judged.right) {
    await attempt.succeeded();
    return { right: true, value: judged.value };
  }
  return { right: false, value: judged.value, lock: await attempt.failed() };
}

/** The failure that spent the last attempt: recorded, and answered 429 with Retry-After. */
/**
 * A signed-in member of staff confirms their own password (changing it, turning TOTP off):
 * counted against the same budget as sign-in, so a stolen session cannot try passwords here
 * without limit. A wrong one answers 400 on `field`, or the lock-out once the budget is spent.
 */
export async function confirmOwnPassword(
  ctx: { deps: ApiDeps; http: HttpContext; actor: Actor },
  p: StaffPrincipal,
  password: string,
  field: string,
): Promise<StaffUser> {
  const { deps, http, actor } = ctx;
  const outcome = await attemptPassword(deps, http, p.user.email, async (check) => {
    const user = await loadUser(deps, p.user.id);
    return { right: await check(user.passwordHash, password), value: user };
  });
  const user = outcome.value;
  if (!outcome.right) {
    if (outcome.lock.locked) throw await lockedOut(deps, actor, user, outcome.lock.retryAfterSeconds, http);
    throw badRequest({ [field]: 'wrong password' });
  }
  return user;
}

export async function lockedOut(
  deps: ApiDeps,
  actor: Actor,
  account: Pick<StaffUser, 'id' | 'institutionId'> | null,
  seconds: number,
  http: HttpContext,
): Promise<HttpError> {
  await audit(deps.prisma, actor, {
    action: 'auth.locked',
    targetType: 'staff_user',
    targetId: account?.id ?? 'unknown',
    institutionId: account?.institutionId ?? null,
    details: { seconds },
  });
  return tooManyAttempts(seconds, http.setHeader);
}
