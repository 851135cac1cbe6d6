import { describe, expect, test } from '@jest/globals';
import { deadlineTone } from './deadline.ts';

// Wednesday 11:00; the next working day closes Thursday 16:00 (Omsk, 10:00Z).
const NOW = '2026-03-11T05:00:00.000Z';
const SOON = '2026-03-12T10:00:00.000Z';

describe('deadlineTone', () => {
  test('red once the deadline passed, amber up to the next working day’s closing, plain after', () => {
    expect(deadlineTone({ status: 'new', answerDueAt: '2026-03-11T04:59:59.000Z' }, NOW, SOON)).toBe('overdue');
    expect(deadlineTone({ status: 'assigned', answerDueAt: NOW }, NOW, SOON)).toBe('near');
    expect(deadlineTone({ status: 'new', answerDueAt: SOON }, NOW, SOON)).toBe('near');
    expect(deadlineTone({ status: 'new', answerDueAt: '2026-03-12T10:00:00.001Z' }, NOW, SOON)).toBe('ok');
  });

  test('after a holiday weekend the boundary the server sends moves the amber zone, not a fixed 24 hours', () => {
    // Friday 6 March 12:00; Monday 9 March is a transferred day off: the next working day is Tuesday 10 March.
    const friday = '2026-03-06T06:00:00.000Z';
    const tuesdayClose = '2026-03-10T10:00:00.000Z';
    expect(deadlineTone({ status: 'new', answerDueAt: '2026-03-10T09:00:00.000Z' }, friday, tuesdayClose)).toBe('near');
    expect(deadlineTone({ status: 'new', answerDueAt: '2026-03-11T10:00:00.000Z' }, friday, tuesdayClose)).toBe('ok');
  });

  test('no colour when answered, refused or without a deadline', () => {
    for (const status of ['scheduled', 'completed', 'refused', 'withdrawn'] as const) {
      expect(deadlineTone({ status, answerDueAt: '2026-03-01T00:00:00.000Z' }, NOW, SOON)).toBe('none');
    }
    expect(deadlineTone({ status: 'new', answerDueAt: null }, NOW, SOON)).toBe('none');
  });
});
