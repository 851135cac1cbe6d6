import { describe, expect, it } from '@jest/globals';
import {
  AuditListQuery,
  CancelConsultationBody,
  clientRequests,
  CreateRequestBody,
  INT8_MAX,
  Instant,
  parseOrThrow,
  ProtocolError,
  RegistryNoteBody,
  RescheduleConsultationBody,
  text,
} from './index.ts';

// Finding 8 of the security review: a NUL in a chat message or a request's reason reached
// PostgreSQL (500), and so did an audit `before` past bigint's range. The rule lives in
// api/common.ts (`text` / `plainText`); these check it holds wherever text comes in.

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof ProtocolError ? e.code : 'not-a-protocol-error';
  }
  return undefined;
};

// Every C0 control but \t and \n, DEL, and the C1 range.
const controls = [
  ...Array.from({ length: 32 }, (_, i) => i).filter((i) => i !== 0x09 && i !== 0x0a),
  0x7f,
  ...Array.from({ length: 32 }, (_, i) => 0x80 + i),
].map((c) => String.fromCharCode(c));

describe('free text refuses control characters except line breaks and tabs', () => {
  it.each(controls.map((c) => [c.charCodeAt(0).toString(16).padStart(4, '0'), c]))('U+%s is refused', (_hex, c) => {
    const r = text(100).safeParse(`до${c}после`);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/control characters/);
  });

  it('keeps line breaks, tabs and every printable script as typed (trimmed)', () => {
    expect(text(100).parse('  Строка 1\nСтрока 2\tи таб  ')).toBe('Строка 1\nСтрока 2\tи таб');
    expect(text(100).parse('emoji 👩‍👧 ё Ё « » — №')).toBe('emoji 👩‍👧 ё Ё « » — №');
    expect(RegistryNoteBody.parse({ note: '' })).toEqual({ note: '' });
  });

  it('in REST bodies: a request reason, a cancellation reason, a registry note', () => {
    const request = { channel: 'phone', fromWhom: 'Мама', reason: 'Ребёнок не спит\u0000' };
    expect(codeOf(() => parseOrThrow(CreateRequestBody, request, 'body'))).toBe('bad_request');
    expect(codeOf(() => parseOrThrow(CreateRequestBody, { ...request, reason: 'Ребёнок не спит\nуже неделю' }, 'body'))).toBeUndefined();
    expect(codeOf(() => parseOrThrow(CancelConsultationBody, { reason: 'заболел\u001b[31m', version: 0 }, 'body'))).toBe('bad_request');
    expect(codeOf(() => parseOrThrow(RegistryNoteBody, { note: 'x\u0007' }, 'body'))).toBe('bad_request');
  });

  it('in socket events: a chat message, a material (its title and its URL)', () => {
    expect(codeOf(() => parseOrThrow(clientRequests.sendChat.payload, { text: 'привет\u0000' }, 'sendChat'))).toBe('bad_request');
    expect(codeOf(() => parseOrThrow(clientRequests.sendChat.payload, { text: 'привет\nкак дела' }, 'sendChat'))).toBeUndefined();
    const material = { title: 'Памятка', url: 'https://example.org/a.pdf' };
    expect(codeOf(() => parseOrThrow(clientRequests.postMaterial.payload, material, 'postMaterial'))).toBeUndefined();
    expect(codeOf(() => parseOrThrow(clientRequests.postMaterial.payload, { ...material, title: 'П\u0000' }, 'postMaterial'))).toBe(
      'bad_request',
    );
    // `new URL` would accept (and percent-encode) it, but the string as sent is what is stored.
    expect(
      codeOf(() => parseOrThrow(clientRequests.postMaterial.payload, { ...material, url: 'https://example.org/\u0000' }, 'postMaterial')),
    ).toBe('bad_request');
  });
});

describe('numbers bound for database columns are range-checked', () => {
  it("audit `before`: bigint's range, no further", () => {
    expect(AuditListQuery.parse({ before: INT8_MAX.toString() }).before).toBe('9223372036854775807');
    expect(AuditListQuery.parse({ before: '1' }).before).toBe('1');
    const r = AuditListQuery.safeParse({ before: '9999999999999999999' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['before']);
    expect(AuditListQuery.safeParse({ before: '9223372036854775808' }).success).toBe(false);
    expect(AuditListQuery.safeParse({ before: '-1' }).success).toBe(false);
  });

  it("a consultation's version: integer's range", () => {
    expect(RescheduleConsultationBody.safeParse({ start: '2026-03-03T09:30:00Z', version: 2_147_483_647 }).success).toBe(true);
    expect(RescheduleConsultationBody.safeParse({ start: '2026-03-03T09:30:00Z', version: 2_147_483_648 }).success).toBe(false);
    expect(CancelConsultationBody.safeParse({ reason: 'болезнь', version: 1e15 }).success).toBe(false);
  });
});

describe('instants bound for timestamp columns', () => {
  it('years 1 … 9999 in UTC, whatever the offset', () => {
    expect(Instant.safeParse('2026-03-03T09:30:00+06:00').success).toBe(true);
    expect(Instant.safeParse('0001-01-01T00:00:00Z').success).toBe(true);
    expect(Instant.safeParse('9999-12-31T23:59:59Z').success).toBe(true);
    expect(Instant.safeParse('0000-01-01T00:00:00Z').success).toBe(false);
    expect(Instant.safeParse('0001-01-01T00:00:00+14:00').success).toBe(false); // year 0 in UTC
    expect(Instant.safeParse('9999-12-31T23:00:00-14:00').success).toBe(false); // year 10000 in UTC
  });
});
