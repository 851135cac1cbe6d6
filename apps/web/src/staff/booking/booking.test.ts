import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../api.ts';
import { staleVersion, timeWasTaken } from './booking-errors.ts';
import { localDate, localTime, monthRange, nextMonth, slotsByDay } from './slot-time.ts';

describe('free slots in the institution’s time, not the browser’s', () => {
  // Omsk is UTC+6: 18:30Z on 2 March is 00:30 on 3 March there.
  const slots = ['2026-03-03T03:30:00Z', '2026-03-02T18:30:00Z', '2026-03-03T08:00:00Z', '2026-03-04T03:30:00Z'];

  it('groups by the local day, in order', () => {
    const byDay = slotsByDay(slots, 'Asia/Omsk');
    expect([...byDay.keys()]).toEqual(['2026-03-03', '2026-03-04']);
    expect(byDay.get('2026-03-03')!.map((s) => localTime(s, 'Asia/Omsk'))).toEqual(['00:30', '09:30', '14:00']);
  });

  it('the same instant is another day in Moscow', () => {
    expect(localDate('2026-03-02T18:30:00Z', 'Asia/Omsk')).toBe('2026-03-03');
    expect(localDate('2026-03-02T18:30:00Z', 'Europe/Moscow')).toBe('2026-03-02');
  });

  it('asks for a month with a day either side, never before now, within the server’s 62 days', () => {
    const r = monthRange('2026-03-01', new Date('2026-02-01T00:00:00Z'));
    expect(r).toEqual({ from: '2026-02-28T00:00:00.000Z', to: '2026-04-02T00:00:00.000Z' });
    const midMonth = monthRange('2026-03-01', new Date('2026-03-20T10:00:00Z'));
    expect(midMonth.from).toBe('2026-03-20T10:00:00.000Z');
    expect(Date.parse(r.to) - Date.parse(r.from)).toBeLessThanOrEqual(62 * 86_400_000);
    expect(nextMonth('2026-12-01')).toBe('2027-01-01');
  });
});

describe('«Это время только что заняли»', () => {
  const violations = (...codes: string[]) => ({ violations: codes.map((code) => ({ code, message: code })) });

  it('a 409 for another booking is taken; a stale version is not', () => {
    expect(timeWasTaken(new ApiError('conflict', 409, 'x', violations('overlaps_booking')))).toBe(true);
    const stale = new ApiError('conflict', 409, 'x', { currentVersion: 3 });
    expect(timeWasTaken(stale)).toBe(false);
    expect(staleVersion(stale)).toBe(true);
  });

  it('a 422 only when every violation says the time went away', () => {
    expect(timeWasTaken(new ApiError('rule_violation', 422, 'x', violations('starts_too_soon')))).toBe(true);
    expect(timeWasTaken(new ApiError('rule_violation', 422, 'x', violations('starts_too_soon', 'overlaps_lunch')))).toBe(false);
    expect(timeWasTaken(new ApiError('bad_request', 400, 'x', { start: 'bad' }))).toBe(false);
    expect(timeWasTaken(new Error('x'))).toBe(false);
  });
});
