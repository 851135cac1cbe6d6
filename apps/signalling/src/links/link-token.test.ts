import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { LinkSigner } from './link-token.ts';

const SECRET = 'unit-test-link-secret-0123456789abcdef';
const signer = new LinkSigner(SECRET);
const claims = {
  consultationId: 'c1',
  participantId: 'p1',
  role: 'client' as const,
  generation: 1,
  expiresAt: new Date('2030-01-01T00:00:00Z'),
};
/** A token as someone holding the secret would have made it, with any payload. */
const forge = (payload: unknown) => {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
};

describe('link tokens', () => {
  it('round-trips its claims', () => {
    expect(signer.verify(signer.sign(claims), new Date('2029-01-01'))).toEqual(claims);
    const attendee = { ...claims, role: 'attendee' as const, generation: 7 };
    expect(signer.verify(signer.sign(attendee), new Date('2029-01-01'))).toEqual(attendee);
  });

  it('refuses forged, re-signed and malformed tokens alike, and says when a genuine one expired', () => {
    const token = signer.sign(claims);
    const [body, mac] = token.split('.') as [string, string];
    const tampered = Buffer.from(JSON.stringify({ v: 2, c: 'c1', p: 'p1', r: 'client', g: 2, exp: 1893456000 })).toString('base64url');
    const other = new LinkSigner('another-installation-secret-0123456789');
    for (const bad of [`${tampered}.${mac}`, other.sign(claims), `${body}`, `${body}.${mac}.x`, '', '..', `${body}.${mac.slice(1)}`]) {
      expect(() => signer.verify(bad, new Date('2029-01-01'))).toThrow(expect.objectContaining({ code: 'invalid_token' }));
    }
    expect(() => signer.verify(token, new Date('2030-01-01T00:00:01Z'))).toThrow(expect.objectContaining({ code: 'link_expired' }));
  });

  it('a generation is part of the token: another generation, another token (deterministic per generation)', () => {
    expect(signer.sign(claims)).toBe(signer.sign({ ...claims }));
    expect(signer.sign({ ...claims, generation: 2 })).not.toBe(signer.sign(claims));
  });

  it('staff roles have no links: a genuine token with a lead role is refused as invalid', () => {
    for (const role of ['specialist', 'host', 'cohost', 'curator'] as const) {
      expect(() => signer.verify(signer.sign({ ...claims, role }), new Date('2029-01-01'))).toThrow(
        expect.objectContaining({ code: 'invalid_token' }),
      );
    }
  });

  it('tokens of the first format (no generation) are refused, even when genuinely signed', () => {
    const v1 = forge({ v: 1, c: 'c1', p: 'p1', r: 'client', exp: 1893456000 });
    expect(() => signer.verify(v1, new Date('2029-01-01'))).toThrow(expect.objectContaining({ code: 'invalid_token' }));
    for (const g of [0, -1, 1.5, '1', null]) {
      const bad = forge({ v: 2, c: 'c1', p: 'p1', r: 'client', g, exp: 1893456000 });
      expect(() => signer.verify(bad, new Date('2029-01-01'))).toThrow(expect.objectContaining({ code: 'invalid_token' }));
    }
  });

  it('carries no personal data: only ids, role, generation and expiry', () => {
    const payload = JSON.parse(Buffer.from(signer.sign(claims).split('.')[0]!, 'base64url').toString());
    expect(Object.keys(payload).sort()).toEqual(['c', 'exp', 'g', 'p', 'r', 'v']);
  });

  it('insists on a long secret', () => {
    expect(() => new LinkSigner('short')).toThrow(/LINK_SECRET/);
  });
});
