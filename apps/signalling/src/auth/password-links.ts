// One-time "set your password" links: a random 256-bit token in the URL, its SHA-256 in
// password_links. Valid 72 hours, used once; issuing a new one for the same account voids
// the older ones. The URL is shown once (to the admin, or printed by the start command or
// the CLI) and never stored or logged.
import type { PasswordLinkPurpose, PrismaClient, TransactionClient } from '@dp/db';
import { newToken, tokenHash } from './session-store.ts';

export const PASSWORD_LINK_SECONDS = 72 * 3600;

export function passwordLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/set-password/${token}`;
}

export async function issuePasswordLink(
  db: PrismaClient | TransactionClient,
  opts: { staffUserId: string; purpose: PasswordLinkPurpose; issuedById: string | null; now: Date; seconds?: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(opts.now.getTime() + (opts.seconds ?? PASSWORD_LINK_SECONDS) * 1000);
  await db.passwordLink.updateMany({ where: { staffUserId: opts.staffUserId, usedAt: null }, data: { usedAt: opts.now } });
  await db.passwordLink.create({
    data: { tokenHash: tokenHash(token), staffUserId: opts.staffUserId, purpose: opts.purpose, issuedById: opts.issuedById, expiresAt },
  });
  return { token, expiresAt };
}

/** The link's row and account when it can still be used, else null. */
export async function findUsablePasswordLink(db: PrismaClient | TransactionClient, token: string, now: Date) {
  if (token.length < 20 || token.length > 200) return null;
  const link = await db.passwordLink.findUnique({ where: { tokenHash: tokenHash(token) }, include: { staffUser: true } });
  if (!link || link.usedAt || link.expiresAt <= now || !link.staffUser.active) return null;
  return link;
}
