import { describe, expect, it } from '@jest/globals';
import { clientRequests, parseOrThrow, ProtocolError, MAX_MESSAGE_BYTES, sfuMethods } from './index.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ProtocolError ? e.code : 'not-a-protocol-error';
  }
  return undefined;
}

describe('room request validation', () => {
  it('accepts a well-formed join and rejects unknown fields', () => {
    const ok = parseOrThrow(clientRequests.join.payload, { token: 'x'.repeat(40) }, 'join');
    expect(ok.token).toHaveLength(40);
    expect(codeOf(() => parseOrThrow(clientRequests.join.payload, { token: 'x'.repeat(40), admin: true }, 'join'))).toBe('bad_request');
  });

  it('names the offending field', () => {
    try {
      parseOrThrow(clientRequests.connectTransport.payload, { transportId: 'a', dtlsParameters: { fingerprints: [] } }, 'connectTransport');
      throw new Error('expected a ProtocolError');
    } catch (e) {
      expect((e as ProtocolError).message).toContain('dtlsParameters.fingerprints');
    }
  });

  it.each([null, 42, 'text', [], { token: 12 }])('rejects malformed join payload %p', (payload) => {
    expect(codeOf(() => parseOrThrow(clientRequests.join.payload, payload, 'join'))).toBe('bad_request');
  });

  it('rejects oversized payloads before parsing them', () => {
    const huge = { token: 'y'.repeat(MAX_MESSAGE_BYTES + 1) };
    expect(codeOf(() => parseOrThrow(clientRequests.join.payload, huge, 'join'))).toBe('payload_too_large');
  });

  it('refuses cyclic input', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(codeOf(() => parseOrThrow(clientRequests.leave.payload, cyclic, 'leave'))).toBe('payload_too_large');
  });

  it('bounds rtpParameters (codec list, payload types)', () => {
    const codec = { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 };
    const base = { transportId: 't', kind: 'video', source: 'camera' };
    expect(() => parseOrThrow(clientRequests.produce.payload, { ...base, rtpParameters: { codecs: [codec] } }, 'produce')).not.toThrow();
    expect(
      codeOf(() =>
        parseOrThrow(clientRequests.produce.payload, { ...base, rtpParameters: { codecs: [{ ...codec, payloadType: 300 }] } }, 'produce'),
      ),
    ).toBe('bad_request');
    expect(codeOf(() => parseOrThrow(clientRequests.produce.payload, { ...base, rtpParameters: { codecs: [] } }, 'produce'))).toBe(
      'bad_request',
    );
    expect(
      codeOf(() =>
        parseOrThrow(clientRequests.produce.payload, { ...base, source: 'keylogger', rtpParameters: { codecs: [codec] } }, 'produce'),
      ),
    ).toBe('bad_request');
  });
});

describe('sfu rpc schemas', () => {
  it('require room and peer ids on every peer-scoped method', () => {
    expect(codeOf(() => parseOrThrow(sfuMethods.closePeer.request, { roomId: 'r' }, 'closePeer'))).toBe('bad_request');
    expect(parseOrThrow(sfuMethods.closePeer.request, { roomId: 'r', peerId: 'p' }, 'closePeer')).toEqual({ roomId: 'r', peerId: 'p' });
  });
});
