import { describe, expect, it } from '@jest/globals';
import { assertDuration, hardLimit, MAX_CONSULTATION_MINUTES, precheckWindow } from './index.ts';

describe('consultation limits', () => {
  const start = new Date('2026-12-01T06:00:00Z');

  it('ends 60 minutes after the planned start', () => {
    expect(hardLimit(start).toISOString()).toBe('2026-12-01T07:00:00.000Z');
  });

  it('opens the pre-check 30 minutes before the start, ending at the start', () => {
    const w = precheckWindow(start);
    expect(w.start.toISOString()).toBe('2026-12-01T05:30:00.000Z');
    expect(w.end).toEqual(start);
  });

  it.each([1, 30, MAX_CONSULTATION_MINUTES])('accepts %i minutes', (m) => expect(() => assertDuration(m)).not.toThrow());
  it.each([0, -5, 61, 90, 30.5, Number.NaN])('refuses %p minutes', (m) => expect(() => assertDuration(m)).toThrow(RangeError));
});
