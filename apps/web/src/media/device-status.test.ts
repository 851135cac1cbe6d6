import { describe, expect, it } from '@jest/globals';
import { classifyMediaError } from './device-status.ts';

describe('classifyMediaError', () => {
  it('tells a refusal from a missing or busy device', () => {
    expect(classifyMediaError('NotAllowedError')).toBe('denied');
    expect(classifyMediaError('NotFoundError')).toBe('missing');
    expect(classifyMediaError('OverconstrainedError')).toBe('missing');
    expect(classifyMediaError('NotReadableError')).toBe('busy');
    expect(classifyMediaError('TypeError')).toBe('unsupported');
    expect(classifyMediaError(undefined)).toBe('busy');
  });
});
