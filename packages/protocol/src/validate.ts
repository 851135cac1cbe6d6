import type { z } from 'zod';
import { MAX_MESSAGE_BYTES, ProtocolError } from './errors.ts';

/** Parses untrusted input against a schema; the error names the offending fields. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const size = byteSize(input);
  if (size > MAX_MESSAGE_BYTES) {
    throw new ProtocolError('payload_too_large', `${what}: ${size} bytes exceeds ${MAX_MESSAGE_BYTES}`);
  }
  const r = schema.safeParse(input);
  if (!r.success) {
    const fields = r.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new ProtocolError('bad_request', `${what}: ${fields}`);
  }
  return r.data;
}

function byteSize(input: unknown): number {
  if (input === undefined) return 0;
  try {
    return new TextEncoder().encode(JSON.stringify(input) ?? '').length;
  } catch {
    return Number.POSITIVE_INFINITY; // cyclic or not serialisable: refuse
  }
}
