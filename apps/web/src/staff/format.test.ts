import { describe, expect, it } from '@jest/globals';
import { formatDateTime, formatDayTime, monthDaysIn } from './format.ts';

// The staff screens write times in the institution's zone, never the browser's: the tests run
// in UTC, the institution is in Kamchatka (UTC+12), where a UTC noon is already the next day.
process.env.TZ = 'UTC';

describe("times in the institution's zone", () => {
  const lateUtc = '2026-03-04T12:30:00Z'; // 4 March 12:30 UTC = 5 March 00:30 in Kamchatka

  it('writes an instant on the institution’s day and clock, not the browser’s', () => {
    const there = formatDayTime(lateUtc, 'ru', 'Asia/Kamchatka');
    expect(there).toContain('5 марта');
    expect(there).toContain('00:30');
    expect(there).not.toContain('2026');
    const here = formatDayTime(lateUtc, 'ru', undefined); // the browser's zone (UTC here)
    expect(here).toContain('4 марта');
    expect(here).toContain('12:30');
    expect(formatDateTime(lateUtc, 'ru', 'Asia/Kamchatka')).toContain('5 марта 2026');
  });

  it("gives the institution's month as its first and last local day", () => {
    // 31 March 12:30 UTC is already 1 April in Kamchatka: the period is April's.
    expect(monthDaysIn('Asia/Kamchatka', new Date('2026-03-31T12:30:00Z'))).toEqual(['2026-04-01', '2026-04-30']);
    expect(monthDaysIn('UTC', new Date('2026-03-31T12:30:00Z'))).toEqual(['2026-03-01', '2026-03-31']);
    // Just before midnight in Kamchatka it is still February (a leap year's).
    expect(monthDaysIn('Asia/Kamchatka', new Date('2028-02-29T11:59:00Z'))).toEqual(['2028-02-01', '2028-02-29']);
    expect(monthDaysIn('Asia/Kamchatka', new Date('2028-02-29T12:00:00Z'))).toEqual(['2028-03-01', '2028-03-31']);
    expect(monthDaysIn('Asia/Kamchatka', new Date('2026-12-31T12:00:00Z'))).toEqual(['2027-01-01', '2027-01-31']);
  });
});
