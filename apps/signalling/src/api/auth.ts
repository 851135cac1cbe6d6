// Sign-in, sign-out, the one-time password links and "my account". Public routes (the
// matrix's `anyone: public`) are sign-in and the password link; everything else acts on the
// signed-in user's own account (`self`).
import { z } from 'zod';
import type { StaffUser } from '@dp/db';
import {
  ChangePasswordBody,
  PasswordLinkInfo,
  PasswordLinkParams,
  PasswordSet,
  SessionInfo,
  SessionList,
  SessionParams,
  SetPasswordBody,
  SignInBody,
  SignedOut,
  TotpConfirmBody,
  TotpDisableBody,
  TotpSetup,
} from '@dp/protocol';
import { hashPassword, needsRehash } from '../auth/passwords.ts';
import { findUsablePasswordLink } from '../auth/password-links.ts';
import { endSessionsOf, type StaffPrincipal } from '../auth/session-store.ts';
import { GuardBusy, type Attempt, type GuardVerdict } from '../auth/sign-in-guard.ts';
import { checkTotp, newTotpSecret, totpEnrolment } from '../auth/totp.ts';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, badRequest } from './errors.ts';
import { defineRoute, type Actor, type HttpContext, type RouteAccess } from './route.ts';

const tag = 'auth';
const NoBody = z.object({}).strict().optional();

function sessionInfo(p: StaffPrincipal, deps: ApiDeps): SessionInfo {
  return {
    user: p.user,
    stage: p.stage,
    csrfToken: p.csrfToken,
    expiresAt: p.expiresAt.toISOString(),
    idleTimeoutSeconds: deps.auth.sessions.idleSeconds,
  };
}

/** The router guarantees a caller on every non-public route. */
function me(access: RouteAccess): StaffPrincipal {
  if (!access.caller) throw new HttpError(401, 'unauthenticated', 'sign in first');
  return access.caller;
}

function invalidCredentials(): HttpError {
  return new HttpError(401, 'invalid_credentials', 'wrong e-mail, password or code');
}

function tooManyAttempts(seconds: number, setHeader: (n: string, v: string) => void): HttpError {
  setHeader('Retry-After', String(seconds));
  return new HttpError(429, 'too_many_attempts', `too many failed attempts: try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

async function loadUser(deps: ApiDeps, id: string): Promise<StaffUser> {
  return deps.prisma.staffUser.findUniqueOrThrow({ where: { id } });
}

/**
 * One password attempt under the lock-out (auth/sign-in-guard.ts): the e-mail's and the
 * address's budgets are spent BEFORE argon2 runs, so parallel requests cannot evaluate more
 * passwords than the budget, and a locked e-mail is refused without looking at the password.
 * `judge` checks the credentials with the attempt's capped checkPassword and says whether
 * they are right; `value` is whatever the caller needs next (the account, the code's step).
 */
async function attemptPassword<T>(
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
async function lockedOut(
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

export const authRoutes = [
  defineRoute({
    name: 'auth.sign_in',
    method: 'post',
    path: '/auth/sign-in',
    summary: 'Sign in with e-mail, password and — when the account has one — the authenticator code, in one request',
    description:
      'Sets the httpOnly session cookie and answers the session with its CSRF token. Any wrong combination (unknown e-mail, wrong password, wrong or missing code) answers the same 401 `invalid_credentials`, so no answer confirms a password or an account. Every attempt is counted before the password is checked; repeated failures lock the e-mail and the address for a while, and too many checks at once are turned away (429, Retry-After).',
    tag,
    body: SignInBody,
    response: SessionInfo,
    errors: [429],
    institution: null,
    handler: async ({ body, deps, http }) => {
      const outcome = await attemptPassword(deps, http, body.email, async (check) => {
        const user = await deps.prisma.staffUser.findUnique({ where: { email: body.email } });
        const account = user && user.active ? user : null;
        // Every path runs argon2 (on a dummy hash for an unknown e-mail) and looks at the code
        // when the account has a second factor, whatever the password: one answer and one
        // timing for any wrong triple, so nothing tells a right password or an existing account.
        const passwordRight = await check(account?.passwordHash ?? null, body.password);
        const secret = account?.totpEnabledAt ? account.totpSecret : null;
        const totpStep = secret && body.totp ? checkTotp(secret, body.totp, account!.totpLastStep, deps.now()) : null;
        const reason = !account
          ? ('unknown_account' as const)
          : !passwordRight
            ? ('password' as const)
            : secret && totpStep === null
              ? body.totp
                ? ('totp' as const)
                : ('totp_missing' as const)
              : null;
        return { right: reason === null, value: { account, totpStep, reason } };
      });
      const { account, totpStep } = outcome.value;
      // (`!account` only tells the compiler: a right answer always has an account.)
      if (!outcome.right || !account) {
        const anonymous: Actor = { type: 'system', id: null, ip: http.ip };
        // The target is the account when it exists: the log shows attacks on an account; an
        // unknown e-mail's rows (no department) are shown to every admin (api/audit-log.ts).
        await audit(deps.prisma, anonymous, {
          action: 'auth.sign_in_failed',
          targetType: 'staff_user',
          targetId: account?.id ?? 'unknown',
          institutionId: account?.institutionId ?? null,
          details: { reason: outcome.value.reason ?? 'password' },
        });
        if (!outcome.right && outcome.lock.locked) throw await lockedOut(deps, anonymous, account, outcome.lock.retryAfterSeconds, http);
        throw invalidCredentials();
      }
      if (totpStep !== null) {
        // Each code once, even when two requests bring it at the same moment: only one update
        // finds the step still newer than the last one used.
        const claimed = await deps.prisma.staffUser.updateMany({
          where: { id: account.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: totpStep } }] },
          data: { totpLastStep: totpStep },
        });
        if (claimed.count !== 1) {
          await audit(
            deps.prisma,
            { type: 'system', id: null, ip: http.ip },
            {
              action: 'auth.sign_in_failed',
              targetType: 'staff_user',
              targetId: account.id,
              institutionId: account.institutionId,
              details: { reason: 'totp_replayed' },
            },
          );
          throw invalidCredentials();
        }
      }
      if (needsRehash(account.passwordHash!)) {
        await deps.prisma.staffUser.update({ where: { id: account.id }, data: { passwordHash: await hashPassword(body.password) } });
      }
      const stage = account.role === 'admin' && !account.totpEnabledAt ? 'totp_setup_required' : 'active';
      const { token, principal } = await deps.auth.sessions.create(account, { stage, ip: http.ip, userAgent: http.userAgent });
      http.setSessionCookie(token, principal.expiresAt);
      await audit(
        deps.prisma,
        { type: 'staff', id: account.id, ip: http.ip },
        {
          action: 'auth.sign_in',
          targetType: 'staff_session',
          targetId: principal.sessionId,
          institutionId: account.institutionId,
          details: { secondFactor: totpStep !== null, stage },
        },
      );
      return sessionInfo(principal, deps);
    },
  }),

  defineRoute({
    name: 'auth.session',
    method: 'get',
    path: '/auth/session',
    summary: 'The signed-in user and the CSRF token (401 when not signed in)',
    tag,
    response: SessionInfo,
    institution: null,
    handler: async ({ access, deps }) => sessionInfo(me(access), deps),
  }),

  defineRoute({
    name: 'auth.sign_out',
    method: 'post',
    path: '/auth/sign-out',
    summary: 'End this session',
    tag,
    body: NoBody,
    response: SignedOut,
    institution: null,
    handler: async ({ access, deps, http, actor }) => {
      const p = me(access);
      const n = await deps.auth.sessions.end(p.sessionId, 'sign_out');
      http.clearSessionCookie();
      await audit(deps.prisma, actor, {
        action: 'auth.sign_out',
        targetType: 'staff_session',
        targetId: p.sessionId,
        institutionId: p.user.institutionId,
      });
      return { signedOut: n };
    },
  }),

  defineRoute({
    name: 'auth.sign_out_everywhere',
    method: 'post',
    path: '/auth/sign-out-everywhere',
    summary: 'End every session of this account, this one included',
    tag,
    body: NoBody,
    response: SignedOut,
    institution: null,
    handler: async ({ access, deps, http, actor }) => {
      const p = me(access);
      const n = await deps.auth.sessions.endAll(p.user.id, 'sign_out_everywhere');
      http.clearSessionCookie();
      // A stolen session may be sitting in a room: it leaves now, not at its next event.
      await deps.rooms?.takeOutStaff(p.user.id);
      await audit(deps.prisma, actor, {
        action: 'auth.sign_out_everywhere',
        targetType: 'staff_user',
        targetId: p.user.id,
        institutionId: p.user.institutionId,
        details: { sessions: n },
      });
      return { signedOut: n };
    },
  }),

  defineRoute({
    name: 'auth.password_link',
    method: 'get',
    path: '/auth/password-links/:token',
    summary: 'Whose account a one-time password link sets up (404 `link_invalid` when unknown, used or expired)',
    tag,
    params: PasswordLinkParams,
    response: PasswordLinkInfo,
    errors: [404],
    institution: null,
    handler: async ({ params, deps }) => {
      const link = await findUsablePasswordLink(deps.prisma, params.token, deps.now());
      if (!link) throw linkInvalid();
      return {
        purpose: link.purpose,
        email: link.staffUser.email,
        displayName: link.staffUser.displayName,
        expiresAt: link.expiresAt.toISOString(),
        totpRequired: link.staffUser.role === 'admin' && !link.staffUser.totpEnabledAt,
      };
    },
  }),

  defineRoute({
    name: 'auth.set_password',
    method: 'post',
    path: '/auth/password-links/:token',
    summary: 'Set the password with a one-time link (ends every session of the account)',
    tag,
    params: PasswordLinkParams,
    body: SetPasswordBody,
    response: PasswordSet,
    errors: [404],
    institution: null,
    handler: async ({ params, body, deps, http }) => {
      // A guessed token costs no argon2 run: the link is looked up first (and again below, claimed).
      if (!(await findUsablePasswordLink(deps.prisma, params.token, deps.now()))) throw linkInvalid();
      const passwordHash = await hashPassword(body.password);
      const now = deps.now();
      const user = await deps.prisma.$transaction(async (tx) => {
        const link = await findUsablePasswordLink(tx, params.token, now);
        if (!link) throw linkInvalid();
        // Used exactly once, even when two requests race: only one update finds it unused.
        const claimed = await tx.passwordLink.updateMany({ where: { id: link.id, usedAt: null }, data: { usedAt: now } });
        if (claimed.count !== 1) throw linkInvalid();
        const updated = await tx.staffUser.update({ where: { id: link.staffUserId }, data: { passwordHash, passwordChangedAt: now } });
        await endSessionsOf(tx, updated.id, 'password_reset', now);
        await audit(
          tx,
          { type: 'staff', id: updated.id, ip: http.ip },
          {
            action: 'auth.password_set',
            targetType: 'staff_user',
            targetId: updated.id,
            institutionId: updated.institutionId,
            details: { purpose: link.purpose },
          },
        );
        return updated;
      });
      return { email: user.email };
    },
  }),

  defineRoute({
    name: 'account.sessions',
    method: 'get',
    path: '/account/sessions',
    summary: "The signed-in user's active sessions",
    tag: 'account',
    response: SessionList,
    institution: null,
    handler: async ({ access, deps }) => {
      const p = me(access);
      const rows = await deps.auth.sessions.list(p.user.id);
      return {
        sessions: rows.map((r) => ({
          id: r.id,
          createdAt: r.createdAt.toISOString(),
          lastSeenAt: r.lastSeenAt.toISOString(),
          expiresAt: r.expiresAt.toISOString(),
          ip: r.ip,
          userAgent: r.userAgent,
          current: r.id === p.sessionId,
        })),
      };
    },
  }),

  defineRoute({
    name: 'account.end_session',
    method: 'delete',
    path: '/account/sessions/:sessionId',
    summary: 'End one of my sessions (another device)',
    tag: 'account',
    params: SessionParams,
    response: SignedOut,
    errors: [404],
    institution: null,
    handler: async ({ params, access, deps, http, actor }) => {
      const p = me(access);
      const n = await deps.auth.sessions.end(params.sessionId, 'ended_by_user', p.user.id);
      if (n === 0) throw new HttpError(404, 'not_found', 'no such active session');
      if (params.sessionId === p.sessionId) http.clearSessionCookie();
      await audit(deps.prisma, actor, {
        action: 'session.ended',
        targetType: 'staff_session',
        targetId: params.sessionId,
        institutionId: p.user.institutionId,
        details: { by: 'self' },
      });
      return { signedOut: n };
    },
  }),

  defineRoute({
    name: 'account.change_password',
    method: 'post',
    path: '/account/password',
    summary: 'Change my password (my other sessions end)',
    tag: 'account',
    body: ChangePasswordBody,
    response: SignedOut,
    errors: [429],
    institution: null,
    handler: async ({ body, access, deps, http, actor }) => {
      const p = me(access);
      // Wrong current passwords count against the same budget as sign-in's.
      const outcome = await attemptPassword(deps, http, p.user.email, async (check) => {
        const user = await loadUser(deps, p.user.id);
        return { right: await check(user.passwordHash, body.currentPassword), value: user };
      });
      const user = outcome.value;
      if (!outcome.right) {
        if (outcome.lock.locked) throw await lockedOut(deps, actor, user, outcome.lock.retryAfterSeconds, http);
        throw badRequest({ currentPassword: 'wrong password' });
      }
      await deps.prisma.staffUser.update({
        where: { id: user.id },
        data: { passwordHash: await hashPassword(body.newPassword), passwordChangedAt: deps.now() },
      });
      const n = await deps.auth.sessions.endAll(user.id, 'password_changed', p.sessionId);
      await audit(deps.prisma, actor, {
        action: 'account.password_changed',
        targetType: 'staff_user',
        targetId: user.id,
        institutionId: user.institutionId,
        details: { otherSessionsEnded: n },
      });
      return { signedOut: n };
    },
  }),

  defineRoute({
    name: 'account.totp_setup',
    method: 'post',
    path: '/account/totp/setup',
    summary: 'Start setting up the authenticator app: a new secret and its QR code',
    description: 'The secret becomes the second factor only after POST /account/totp/enable confirms a code from it.',
    tag: 'account',
    body: NoBody,
    response: TotpSetup,
    errors: [409],
    institution: null,
    handler: async ({ access, deps }) => {
      const p = me(access);
      const user = await loadUser(deps, p.user.id);
      if (user.totpEnabledAt) throw new HttpError(409, 'conflict', 'the second factor is already set up; turn it off first');
      const secret = newTotpSecret();
      await deps.prisma.staffUser.update({ where: { id: user.id }, data: { totpSecret: secret, totpLastStep: null } });
      return totpEnrolment(secret, user.email);
    },
  }),

  defineRoute({
    name: 'account.totp_enable',
    method: 'post',
    path: '/account/totp/enable',
    summary: 'Confirm a code from the authenticator app: the second factor is on from now',
    tag: 'account',
    body: TotpConfirmBody,
    response: SessionInfo,
    errors: [409],
    institution: null,
    handler: async ({ body, access, deps, actor }) => {
      const p = me(access);
      const user = await loadUser(deps, p.user.id);
      if (user.totpEnabledAt) throw new HttpError(409, 'conflict', 'the second factor is already set up');
      if (!user.totpSecret) throw new HttpError(409, 'conflict', 'start the set-up first (POST /account/totp/setup)');
      const step = checkTotp(user.totpSecret, body.code, null, deps.now());
      if (step === null) throw badRequest({ code: 'wrong code: check the time on the phone and try the next one' });
      await deps.prisma.staffUser.update({ where: { id: user.id }, data: { totpEnabledAt: deps.now(), totpLastStep: step } });
      if (p.stage !== 'active') await deps.auth.sessions.setStage(p.sessionId, 'active');
      await audit(deps.prisma, actor, {
        action: 'account.totp_enabled',
        targetType: 'staff_user',
        targetId: user.id,
        institutionId: user.institutionId,
      });
      return sessionInfo({ ...p, stage: 'active', user: { ...p.user, totpEnabled: true } }, deps);
    },
  }),

  defineRoute({
    name: 'account.totp_disable',
    method: 'post',
    path: '/account/totp/disable',
    summary: 'Turn the second factor off (not for admins, who must have it)',
    description:
      'A wrong password answers 400; wrong passwords count against the sign-in lock-out of the account and the address (429, Retry-After).',
    tag: 'account',
    body: TotpDisableBody,
    response: SessionInfo,
    errors: [429],
    institution: null,
    handler: async ({ body, access, deps, http, actor }) => {
      const p = me(access);
      // Counted like sign-in: a stolen session must not try passwords here without limit.
      const outcome = await attemptPassword(deps, http, p.user.email, async (check) => {
        const user = await loadUser(deps, p.user.id);
        return { right: await check(user.passwordHash, body.password), value: user };
      });
      const user = outcome.value;
      if (!outcome.right) {
        if (outcome.lock.locked) throw await lockedOut(deps, actor, user, outcome.lock.retryAfterSeconds, http);
        throw badRequest({ password: 'wrong password' });
      }
      await deps.prisma.staffUser.update({ where: { id: user.id }, data: { totpEnabledAt: null, totpSecret: null, totpLastStep: null } });
      await audit(deps.prisma, actor, {
        action: 'account.totp_disabled',
        targetType: 'staff_user',
        targetId: user.id,
        institutionId: user.institutionId,
      });
      return sessionInfo({ ...p, user: { ...p.user, totpEnabled: false } }, deps);
    },
  }),
];

function linkInvalid(): HttpError {
  return new HttpError(404, 'link_invalid', 'this link is unknown, already used or expired: ask the administrator for a new one');
}
