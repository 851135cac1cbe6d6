// "My account": the signed-in user's own sessions, password and second factor (matrix scope
// `self`). Wrong passwords here count against the same lock-out as sign-in (credentials.ts).
import { contract } from '@dp/protocol';
import { hashPassword } from '../auth/passwords.ts';
import { checkTotp, newTotpSecret, totpEnrolment } from '../auth/totp.ts';
import { audit } from './audit.ts';
import { confirmOwnPassword, loadUser, me, sessionInfo } from './credentials.ts';
import { HttpError, badRequest } from './errors.ts';
import { defineRoute, routeTable } from './route.ts';

export const accountRoutes = routeTable([
  defineRoute(contract['account.sessions'], {
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

  defineRoute(contract['account.end_session'], {
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

  defineRoute(contract['account.change_password'], {
    handler: async ({ body, access, deps, http, actor }) => {
      const p = me(access);
      const user = await confirmOwnPassword({ deps, http, actor }, p, body.currentPassword, 'currentPassword');
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

  defineRoute(contract['account.totp_setup'], {
    handler: async ({ access, deps }) => {
      const p = me(access);
      const user = await loadUser(deps, p.user.id);
      if (user.totpEnabledAt) throw new HttpError(409, 'conflict', 'the second factor is already set up; turn it off first');
      const secret = newTotpSecret();
      await deps.prisma.staffUser.update({ where: { id: user.id }, data: { totpSecret: secret, totpLastStep: null } });
      return totpEnrolment(secret, user.email);
    },
  }),

  defineRoute(contract['account.totp_enable'], {
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

  defineRoute(contract['account.totp_disable'], {
    handler: async ({ body, access, deps, http, actor }) => {
      const p = me(access);
      const user = await confirmOwnPassword({ deps, http, actor }, p, body.password, 'password');
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
]);
