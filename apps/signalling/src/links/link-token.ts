import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ProtocolError, RoomRole, isLead } from '@dp/protocol';

// A client's link is a capability for one consultation: an HMAC-signed token naming the
// consultation, the participant, their role and the link's generation, with an expiry. It
// holds no personal data (links end up in browser history and mail logs).
//
// The signer is stateless: the same claims give the same token (the notifier mails the link
// staff are shown). Whether a genuine token is still the participant's current one is decided
// where the database is read (timetable/consultation-gate.ts, probe/network-probes.ts): a
// token of an earlier generation, or of a revoked participant, answers `link_revoked`.
//
// Only client roles (client, attendee) have links. Staff enter rooms signed in, with their
// session (auth/room-access.ts), so a genuine token with a lead role (a link signed before
// staff stopped having links) is refused here like a forged one — at join, at the network
// test and on the link page alike.

const Payload = z.object({
  v: z.literal(2),
  c: z.string().min(1).max(64), // consultation (room) id
  p: z.string().min(1).max(64), // participant id
  r: RoomRole,
  g: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1), // the participant's link generation
  exp: z.number().int(), // unix seconds
});
export type LinkClaims = { consultationId: string; participantId: string; role: RoomRole; generation: number; expiresAt: Date };

const MINUTE = 60_000;
/** A link outlives the consultation's hard end by 30 days; admission checks the real time from the database. */
export const LINK_VALID_AFTER_START_MS = (60 + 30 * 24 * 60) * MINUTE;

/** The expiry signed into a consultation's links (the API and the notifier use the same, so their tokens agree). */
export const linkExpiresAt = (start: Date): Date => new Date(start.getTime() + LINK_VALID_AFTER_START_MS);

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export class LinkSigner {
  private readonly secret: Buffer;
  /** Business time (the server's clock), for the expiry. */
  private readonly now: () => Date;
  constructor(secret: string, now: () => Date = () => new Date()) {
    if (secret.length < 32) throw new Error('LINK_SECRET must be at least 32 characters');
    this.secret = Buffer.from(secret);
    this.now = now;
  }

  sign(claims: LinkClaims): string {
    const body = b64(
      JSON.stringify({
        v: 2,
        c: claims.consultationId,
        p: claims.participantId,
        r: claims.role,
        g: claims.generation,
        exp: Math.floor(claims.expiresAt.getTime() / 1000),
      }),
    );
    return `${body}.${this.mac(body)}`;
  }

  /**
   * Throws `invalid_token` for anything forged, malformed, of an older format or with a
   * staff (lead) role — without saying which; `link_expired` for a genuine one past its time.
   */
  verify(token: string, now = this.now()): LinkClaims {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) throw invalid();
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    let payload;
    try {
      payload = Payload.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      throw invalid();
    }
    // Staff never enter by link (see above).
    if (isLead(payload.r)) throw invalid();
    // Genuine but past its time: the page may say so (only the holder of a genuine link learns it).
    if (payload.exp * 1000 <= now.getTime()) throw new ProtocolError('link_expired', 'this link has expired');
    return {
      consultationId: payload.c,
      participantId: payload.p,
      role: payload.r,
      generation: payload.g,
      expiresAt: new Date(payload.exp * 1000),
    };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

const invalid = () => new ProtocolError('invalid_token', 'link is invalid or expired');

/** 128 bits of randomness, URL-safe: for ids that must not be guessable. */
export const randomId = (bytes = 16) => randomBytes(bytes).toString('base64url');
