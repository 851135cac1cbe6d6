import { describe, expect, it } from '@jest/globals';
import { changedDates, dayHours, dayProblems, defaultMonth, firstProblemDate, shiftMonth, todayIn, withDay } from './schedule-blocks.ts';

const b = (date: string, start: string, end: string) => ({ date, start, end });

describe('the month schedule on screen', () => {
  it('counts months across years', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-03', 0)).toBe('2026-03');
  });

  it("opens on the next month for a head after the 20th, this month otherwise; today in the institution's zone", () => {
    expect(defaultMonth('2026-03-20', true)).toBe('2026-03');
    expect(defaultMonth('2026-03-21', true)).toBe('2026-04');
    expect(defaultMonth('2026-12-25', true)).toBe('2027-01');
    expect(defaultMonth('2026-03-25', false)).toBe('2026-03');
    // 20:30 UTC on 31 March is already 1 April in Omsk (UTC+6).
    expect(todayIn('Asia/Omsk', new Date('2026-03-31T20:30:00Z'))).toBe('2026-04-01');
  });

  it('finds bad, reversed and overlapping blocks of a day', () => {
    expect([...dayProblems([b('2026-03-03', '09:00', '13:00'), b('2026-03-03', '14:00', '16:00')])]).toEqual([]);
    expect([...dayProblems([b('2026-03-03', '13:00', '09:00')])]).toEqual([[0, 'order']]);
    expect([...dayProblems([b('2026-03-03', '9', '10:00')])]).toEqual([[0, 'time']]);
    expect([...dayProblems([b('2026-03-03', '09:00', '12:00'), b('2026-03-03', '11:00', '13:00')])]).toEqual([
      [0, 'overlap'],
      [1, 'overlap'],
    ]);
    expect(firstProblemDate([b('2026-03-02', '09:00', '10:00'), b('2026-03-05', '10:00', '10:00')])).toBe('2026-03-05');
    expect(firstProblemDate([b('2026-03-02', '09:00', '10:00')])).toBeNull();
  });

  it('replaces one day, sums its hours and tells which days a correction changes', () => {
    const month = [b('2026-03-03', '09:00', '16:00'), b('2026-03-04', '09:00', '16:00')];
    const edited = withDay(month, '2026-03-03', [b('', '14:00', '16:00'), b('', '09:00', '13:00')]);
    expect(edited).toEqual([b('2026-03-03', '09:00', '13:00'), b('2026-03-03', '14:00', '16:00'), b('2026-03-04', '09:00', '16:00')]);
    expect(dayHours(edited.slice(0, 2))).toBe(6);
    expect(dayHours([b('2026-03-03', '09:00', '09:30')])).toBe(0.5);
    expect([...changedDates(month, edited)]).toEqual(['2026-03-03']);
    expect([...changedDates(month, withDay(month, '2026-03-04', []))]).toEqual(['2026-03-04']);
  });
});
