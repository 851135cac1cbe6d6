import { describe, expect, it } from '@jest/globals';
import { LinkSigner } from './link-token.ts';

const signer = new LinkSigner('unit-test-link-secret-0123456789abcdef');
const claims = { consultationId: 'c1', participantId: 'p1', role: 'client' as const, expiresAt: new Date('2030-01-01T00:00:00Z') };

describe('link tokens', () => {
  it('round-trips its claims', () => {
    expect(signer.verify(signer.sign(claims), new Date('2029-01-01'))).toEqual(claims);
  });

  it('refuses forged, re-signed and malformed tokens alike, and says when a genuine one expired', () => {
    const token = signer.sign(claims);
    const [body, mac] = token.split('.') as [string, string];
    const tampered = Buffer.from(JSON.stringify({ v: 1, c: 'c1', p: 'p1', r: 'specialist', exp: 1893456000 })).toString('base64url');
    const other = new LinkSigner('another-installation-secret-0123456789');
    for (const bad of [`${tampered}.${mac}`, other.sign(claims), `${body}`, `${body}.${mac}.x`, '', '..', `${body}.${mac.slice(1)}`]) {
      expect(() => signer.verify(bad, new Date('2029-01-01'))).toThrow(expect.objectContaining({ code: 'invalid_token' }));
    }
    expect(() => signer.verify(token, new Date('2030-01-01T00:00:01Z'))).toThrow(expect.objectContaining({ code: 'link_expired' }));
  });

  it('carries no personal data: only ids, role and expiry', () => {
    const payload = JSON.parse(Buffer.from(signer.sign(claims).split('.')[0]!, 'base64url').toString());
    expect(Object.keys(payload).sort()).toEqual(['c', 'exp', 'p', 'r', 'v']);
  });

  it('insists on a long secret', () => {
    expect(() => new LinkSigner('short')).toThrow(/LINK_SECRET/);
  });
});
