// Sign-in, sign-out and the one-time password links. Public routes (the matrix's
// `anyone: public`) are sign-in and the password link; the rest act on the signed-in user's
// own session. "My account" (sessions, password, second factor) is in account.ts.
import { contract } from '@dp/protocol';
import { hashPassword, needsRehash } from '../auth/passwords.ts';
import { findUsablePasswordLink } from '../auth/password-links.ts';
import { endSessionsOf } from '../auth/session-store.ts';
import { checkTotp } from '../auth/totp.ts';
import { audit } from './audit.ts';
import { attemptPassword, invalidCredentials, lockedOut, me, sessionInfo } from './credentials.ts';
import { HttpError } from './errors.ts';
import type { Actor } from './actor.ts';
import { defineRoute, routeTable } from './route.ts';

export const authRoutes = routeTable([
  defineRoute(contract['auth.sign_in'], {
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

  defineRoute(contract['auth.session'], {
    handler: async ({ access, deps }) => sessionInfo(me(access), deps),
  }),

  defineRoute(contract['auth.sign_out'], {
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

  defineRoute(contract['auth.sign_out_everywhere'], {
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

  defineRoute(contract['auth.password_link'], {
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

  defineRoute(contract['auth.set_password'], {
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
]);

function linkInvalid(): HttpError {
  return new HttpError(404, 'link_invalid', 'this link is unknown, already used or expired: ask the administrator for a new one');
}
