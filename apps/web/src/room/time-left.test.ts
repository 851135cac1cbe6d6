import { describe, expect, it } from '@jest/globals';
import { bookedNoticeDelay, clockTime, minutesLeft, timerView } from './time-left.ts';

// A consultation booked 16:30–17:15 (Moscow, UTC+3); the room closes at 17:30 (start + 60 min).
const BOOKED_END = '2025-03-04T14:15:00.000Z';
const CAP = '2025-03-04T14:30:00.000Z';
const at = (hhmmss: string) => Date.parse(`2025-03-04T${hhmmss}.000Z`);

describe('the room timer', () => {
  it('counts to the booked end, not to the cap, and shows the cap apart', () => {
    const v = timerView(at('14:03:00'), BOOKED_END, CAP);
    expect(v.booked).toEqual({ at: Date.parse(BOOKED_END), minutesLeft: 12, phase: 'running' });
    expect(v.cap).toEqual({ at: Date.parse(CAP), minutesLeft: 27, soon: false });
  });

  it('rounds a part of a minute up (15 min 30 s left says 16), and never below zero', () => {
    expect(minutesLeft(at('13:59:30'), Date.parse(BOOKED_END))).toBe(16);
    expect(minutesLeft(at('14:15:00'), Date.parse(BOOKED_END))).toBe(0);
    expect(minutesLeft(at('14:20:00'), Date.parse(BOOKED_END))).toBe(0);
  });

  it('turns to «soon» five minutes before the booked end and to «over» at it', () => {
    expect(timerView(at('14:09:59'), BOOKED_END, CAP).booked?.phase).toBe('running');
    expect(timerView(at('14:10:00'), BOOKED_END, CAP).booked?.phase).toBe('soon');
    expect(timerView(at('14:14:59'), BOOKED_END, CAP).booked?.phase).toBe('soon');
    expect(timerView(at('14:15:00'), BOOKED_END, CAP).booked?.phase).toBe('over');
  });

  it('warns about the cap in its last ten minutes', () => {
    expect(timerView(at('14:19:59'), BOOKED_END, CAP).cap?.soon).toBe(false);
    expect(timerView(at('14:20:00'), BOOKED_END, CAP).cap?.soon).toBe(true);
  });

  it('says one end when the booking takes the whole hour', () => {
    const v = timerView(at('14:00:00'), CAP, CAP);
    expect(v.booked?.minutesLeft).toBe(30);
    expect(v.cap).toBeNull();
  });

  it('shows only the cap when the booked end is unknown, and nothing for a room without a consultation', () => {
    expect(timerView(at('14:00:00'), null, CAP)).toEqual({ booked: null, cap: { at: Date.parse(CAP), minutesLeft: 30, soon: false } });
    expect(timerView(at('14:00:00'), null, null)).toEqual({ booked: null, cap: null });
    expect(timerView(at('14:00:00'), 'not a date', null).booked).toBeNull();
  });

  it('schedules the booked-end notice five minutes before, and not at all once that moment has passed', () => {
    expect(bookedNoticeDelay(at('14:00:00'), BOOKED_END)).toBe(10 * 60_000);
    expect(bookedNoticeDelay(at('14:10:00'), BOOKED_END)).toBe(0);
    expect(bookedNoticeDelay(at('14:10:01'), BOOKED_END)).toBeNull();
    expect(bookedNoticeDelay(at('14:00:00'), null)).toBeNull();
  });

  it("writes the time in the institution's zone when known", () => {
    expect(clockTime(Date.parse(BOOKED_END), 'ru', 'Europe/Moscow')).toBe('17:15');
    expect(clockTime(Date.parse(BOOKED_END), 'ru', 'Asia/Omsk')).toBe('20:15');
    // An unknown zone falls back to the device's rather than failing.
    expect(clockTime(Date.parse(BOOKED_END), 'ru', 'Nowhere/Atlantis')).toMatch(/^\d\d:\d\d$/);
  });
});
