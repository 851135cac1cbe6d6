// Server-side sessions in PostgreSQL. The browser holds a random 256-bit token in an
// httpOnly cookie; the table holds its SHA-256 only. A session ends when signed out, when
// idle longer than the idle timeout, at its absolute lifetime, or when the account is
// deactivated or its password changes — whichever comes first. Ended rows stay (endedAt,
// endReason) so that "active sessions" and the audit agree.
import { createHash, randomBytes } from 'node:crypto';
import { parseCookie } from 'cookie';
import type { PrismaClient, StaffRole, StaffSession, StaffUser, TransactionClient } from '@dp/db';
import { SESSION_COOKIE, type SessionStage } from '@dp/protocol';

export interface SessionTimes {
  idleSeconds: number;
  absoluteSeconds: number;
}

export type EndReason =
  | 'sign_out'
  | 'sign_out_everywhere'
  | 'password_changed'
  | 'password_reset'
  | 'deactivated'
  | 'ended_by_user'
  | 'ended_by_admin'
  | 'role_changed'
  | 'expired';

/** A signed-in member of staff, as every check sees them. */
export interface StaffPrincipal {
  kind: 'staff';
  sessionId: string;
  stage: SessionStage;
  csrfToken: string;
  expiresAt: Date;
  user: {
    id: string;
    email: string;
    displayName: string;
    role: StaffRole;
    institutionId: string | null;
    departmentId: string;
    totpEnabled: boolean;
  };
}

/** Seconds between lastSeenAt writes: the idle clock is this coarse, and a busy screen costs no write per request. */
const TOUCH_EVERY_MS = 30_000;
const USER_AGENT_MAX = 120;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The session token in a Cookie header (REST requests and socket.io handshakes alike). */
export function sessionTokenFrom(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  return parseCookie(cookieHeader)[SESSION_COOKIE] ?? null;
}

/**
 * Ends every live session of an account (but `exceptSessionId`); usable inside the
 * transaction of the change that causes it (a reset, a deactivation). Answers how many.
 */
export async function endSessionsOf(
  db: PrismaClient | TransactionClient,
  userId: string,
  reason: EndReason,
  now: Date,
  exceptSessionId?: string,
): Promise<number> {
  const r = await db.staffSession.updateMany({
    where: { staffUserId: userId, endedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
    data: { endedAt: now, endReason: reason },
  });
  return r.count;
}

export class SessionStore {
  private readonly prisma: PrismaClient;
  private readonly times: SessionTimes;
  private readonly now: () => Date;
  constructor(prisma: PrismaClient, times: SessionTimes, now: () => Date) {
    this.prisma = prisma;
    this.times = times;
    this.now = now;
  }

  get idleSeconds(): number {
    return this.times.idleSeconds;
  }

  async create(
    user: StaffUser,
    opts: { stage: SessionStage; ip: string | null; userAgent: string | undefined },
  ): Promise<{ token: string; principal: StaffPrincipal }> {
    const token = newToken();
    const now = this.now();
    const [row] = await this.prisma.$transaction([
      this.prisma.staffSession.create({
        data: {
          tokenHash: tokenHash(token),
          staffUserId: user.id,
          csrfToken: newToken(),
          stage: opts.stage,
          createdAt: now,
          lastSeenAt: now,
          expiresAt: new Date(now.getTime() + this.times.absoluteSeconds * 1000),
          ip: opts.ip,
          userAgent: shortUserAgent(opts.userAgent),
        },
      }),
      this.prisma.staffUser.update({ where: { id: user.id }, data: { lastSignInAt: now }, select: { id: true } }),
    ]);
    return { token, principal: principalOf(row, user) };
  }

  /** The live session the cookie names, or null (unknown, ended, idle too long, past its lifetime, account inactive). */
  async resolve(token: string): Promise<StaffPrincipal | null> {
    if (token.length < 20 || token.length > 100) return null;
    const row = await this.prisma.staffSession.findUnique({ where: { tokenHash: tokenHash(token) }, include: { staffUser: true } });
    if (!row || row.endedAt) return null;
    const now = this.now();
    const idleLimit = row.lastSeenAt.getTime() + this.times.idleSeconds * 1000;
    if (now >= row.expiresAt || now.getTime() >= idleLimit) {
      await this.end(row.id, 'expired');
      return null;
    }
    if (!row.staffUser.active || row.staffUser.passwordHash === null) return null;
    if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.prisma.staffSession.updateMany({ where: { id: row.id, endedAt: null }, data: { lastSeenAt: now } });
    }
    return principalOf(row, row.staffUser);
  }

  async setStage(sessionId: string, stage: SessionStage): Promise<void> {
    await this.prisma.staffSession.update({ where: { id: sessionId }, data: { stage } });
  }

  /** Ends one session; answers how many ended (0 when it had already). */
  async end(sessionId: string, reason: EndReason, userId?: string): Promise<number> {
    const r = await this.prisma.staffSession.updateMany({
      where: { id: sessionId, endedAt: null, ...(userId ? { staffUserId: userId } : {}) },
      data: { endedAt: this.now(), endReason: reason },
    });
    return r.count;
  }

  /** Ends every session of the account (but `exceptSessionId`). */
  endAll(userId: string, reason: EndReason, exceptSessionId?: string): Promise<number> {
    return endSessionsOf(this.prisma, userId, reason, this.now(), exceptSessionId);
  }

  /** The account's sessions that are still alive, newest first. */
  async list(userId: string): Promise<StaffSession[]> {
    const now = this.now();
    const rows = await this.prisma.staffSession.findMany({
      where: { staffUserId: userId, endedAt: null, expiresAt: { gt: now } },
      orderBy: { lastSeenAt: 'desc' },
    });
    return rows.filter((r) => now.getTime() < r.lastSeenAt.getTime() + this.times.idleSeconds * 1000);
  }
}

function principalOf(row: StaffSession, user: StaffUser): StaffPrincipal {
  return {
    kind: 'staff',
    sessionId: row.id,
    stage: row.stage === 'totp_setup_required' ? 'totp_setup_required' : 'active',
    csrfToken: row.csrfToken,
    expiresAt: row.expiresAt,
    user: {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      institutionId: user.institutionId,
      departmentId: user.departmentId,
      totpEnabled: user.totpEnabledAt !== null,
    },
  };
}

/** «Chrome 131 · Linux»: enough to recognise one's own devices, nothing more is kept. */
export function shortUserAgent(ua: string | undefined): string | null {
  if (!ua) return null;
  const browser = /(YaBrowser|Edg|OPR|Firefox|Chrome|Version)\/(\d+)/.exec(ua) ?? /(Safari)\/(\d+)/.exec(ua) ?? null;
  const os = /Android|iPhone|iPad|Windows|Mac OS X|Linux/.exec(ua)?.[0];
  const names: Record<string, string> = { Edg: 'Edge', OPR: 'Opera', YaBrowser: 'Яндекс Браузер', Version: 'Safari' };
  const name = browser ? `${names[browser[1]!] ?? browser[1]} ${browser[2]}` : ua.slice(0, 40);
  const osName = os === 'Mac OS X' ? 'macOS' : os;
  return [name, osName].filter(Boolean).join(' · ').slice(0, USER_AGENT_MAX);
}
