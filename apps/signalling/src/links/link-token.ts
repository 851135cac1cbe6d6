import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ProtocolError, RoomRole } from '@dp/protocol';

// A participant's link is a capability for one consultation: an HMAC-signed token
// naming the consultation, the participant and their role, with an expiry. It holds
// no personal data (links end up in browser history and mail logs).

const Payload = z.object({
  v: z.literal(1),
  c: z.string().min(1).max(64), // consultation (room) id
  p: z.string().min(1).max(64), // participant id
  r: RoomRole,
  exp: z.number().int(), // unix seconds
});
export type LinkClaims = { consultationId: string; participantId: string; role: RoomRole; expiresAt: Date };

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export class LinkSigner {
  private readonly secret: Buffer;
  constructor(secret: string) {
    if (secret.length < 32) throw new Error('LINK_SECRET must be at least 32 characters');
    this.secret = Buffer.from(secret);
  }

  sign(claims: LinkClaims): string {
    const body = b64(
      JSON.stringify({
        v: 1,
        c: claims.consultationId,
        p: claims.participantId,
        r: claims.role,
        exp: Math.floor(claims.expiresAt.getTime() / 1000),
      }),
    );
    return `${body}.${this.mac(body)}`;
  }

  /** Throws `invalid_token` for anything forged, malformed or expired — without saying which. */
  verify(token: string, now = new Date()): LinkClaims {
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
    // Genuine but past its time: the page may say so (only the holder of a genuine link learns it).
    if (payload.exp * 1000 <= now.getTime()) throw new ProtocolError('link_expired', 'this link has expired');
    return { consultationId: payload.c, participantId: payload.p, role: payload.r, expiresAt: new Date(payload.exp * 1000) };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

const invalid = () => new ProtocolError('invalid_token', 'link is invalid or expired');

/** 128 bits of randomness, URL-safe: for ids that must not be guessable. */
export const randomId = (bytes = 16) => randomBytes(bytes).toString('base64url');
