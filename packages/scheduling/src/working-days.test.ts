import { describe, expect, it } from '@jest/globals';
import { addWorkingDays, answerDeadline, ANSWER_WORKING_DAYS, countingDay, type RequestChannel } from './index.ts';
import { local, sedelnikovo, wall } from './test-support/fixtures.ts';

const OMSK = 'Asia/Omsk';
const NEW_YEAR = ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08'];
const cal = sedelnikovo(OMSK, { daysOff: ['2026-11-04', '2026-12-31', ...NEW_YEAR] });
const deadline = (received: string, channel: RequestChannel, c = cal, zone = OMSK) =>
  wall(zone, answerDeadline(c, local(zone, received), channel));

describe('answer deadlines in working days (rule 6)', () => {
  it('gives e-mail 3 working days and phone, SMS, messenger and visit 2', () => {
    expect(ANSWER_WORKING_DAYS).toEqual({ email: 3, phone: 2, sms: 2, messenger: 2, visit: 2 });
    expect(deadline('2026-11-30 10:00', 'email')).toBe('2026-12-03 16:00'); // Mon → Thu at closing
    expect(deadline('2026-11-30 10:00', 'phone')).toBe('2026-12-02 16:00');
    expect(deadline('2026-11-30 10:00', 'sms')).toBe('2026-12-02 16:00');
    expect(deadline('2026-11-30 10:00', 'messenger')).toBe('2026-12-02 16:00');
    expect(deadline('2026-11-30 10:00', 'visit')).toBe('2026-12-02 16:00');
  });

  it('skips weekends and ends at the deadline day’s own closing time (Friday 15:00)', () => {
    expect(deadline('2026-12-01 10:00', 'email')).toBe('2026-12-04 15:00'); // Tue → Fri
    expect(deadline('2026-12-02 10:00', 'email')).toBe('2026-12-07 16:00'); // Wed → Mon
  });

  it('skips holidays: 4 November, and the New Year days after 31 December', () => {
    expect(deadline('2026-11-03 10:00', 'email')).toBe('2026-11-09 16:00'); // Tue → Thu 5, Fri 6, Mon 9
    expect(deadline('2026-12-29 10:00', 'phone')).toBe('2027-01-11 16:00'); // Tue → Wed 30, then Mon 11 January
  });

  it('counts a request after hours, or on a day off, from the next working day', () => {
    expect(deadline('2026-11-30 16:00', 'email')).toBe('2026-12-04 15:00'); // at closing = after hours
    expect(deadline('2026-11-30 15:59', 'email')).toBe('2026-12-03 16:00');
    expect(deadline('2026-12-04 15:30', 'phone')).toBe('2026-12-09 16:00'); // Friday after 15:00 → from Mon → Wed
    expect(deadline('2026-12-05 12:00', 'phone')).toBe('2026-12-09 16:00'); // Saturday → from Mon → Wed
    expect(countingDay(cal, local(OMSK, '2026-12-05 12:00'))).toBe('2026-12-07');
  });

  it('counts a request before opening from the same day (it is read at opening)', () => {
    expect(countingDay(cal, local(OMSK, '2026-11-30 07:00'))).toBe('2026-11-30');
    expect(deadline('2026-11-30 07:00', 'email')).toBe('2026-12-03 16:00');
  });

  it('counts transferred working Saturdays', () => {
    const withSaturday = sedelnikovo(OMSK, { extraWorkingDays: ['2026-12-26'] });
    expect(deadline('2026-12-24 10:00', 'email', withSaturday)).toBe('2026-12-28 16:00'); // Fri 25, Sat 26, Mon 28
    expect(deadline('2026-12-24 10:00', 'email', sedelnikovo(OMSK))).toBe('2026-12-29 16:00');
  });

  it('works in each institution’s own zone (Kamchatka +12, Kaliningrad +2)', () => {
    // 20:00Z on Monday 30 November: Tuesday 08:00 in Kamchatka, Monday 22:00 in Kaliningrad.
    const received = new Date('2026-11-30T20:00:00Z');
    expect(answerDeadline(sedelnikovo('Asia/Kamchatka'), received, 'email').toISOString()).toBe('2026-12-04T03:00:00.000Z'); // Fri 15:00 +12
    expect(answerDeadline(sedelnikovo('Europe/Kaliningrad'), received, 'email').toISOString()).toBe('2026-12-04T13:00:00.000Z'); // from Tue → Fri 15:00 +2
  });

  it('keeps the wall-clock closing time across a DST change (Europe/Berlin)', () => {
    const berlin = sedelnikovo('Europe/Berlin');
    expect(answerDeadline(berlin, local('Europe/Berlin', '2026-03-24 10:00'), 'phone').toISOString()).toBe('2026-03-26T15:00:00.000Z'); // CET
    expect(answerDeadline(berlin, local('Europe/Berlin', '2026-03-26 10:00'), 'email').toISOString()).toBe('2026-03-31T14:00:00.000Z'); // CEST
  });
});

describe('addWorkingDays', () => {
  it('with 0 gives the closing time of the counting day', () => {
    expect(wall(OMSK, addWorkingDays(cal, local(OMSK, '2026-12-01 10:00'), 0))).toBe('2026-12-01 16:00');
    expect(wall(OMSK, addWorkingDays(cal, local(OMSK, '2026-12-05 10:00'), 0))).toBe('2026-12-07 16:00');
  });
  it('finds the next working day when a day off takes the only working weekday (a week later)', () => {
    // Found by the property test (seed -1169602822): an institution open on Tuesdays only,
    // with one Tuesday off, once ran past the search bound and threw.
    const tuesdays = {
      timeZone: 'Europe/Kaliningrad',
      week: { '1': null, '2': { start: '07:00', end: '15:00' }, '3': null, '4': null, '5': null, '6': null, '7': null },
      lunch: null,
      daysOff: ['2026-10-06'],
      extraWorkingDays: [],
    } as const;
    const zone = 'Europe/Kaliningrad';
    expect(
      wall(zone, addWorkingDays({ ...tuesdays, daysOff: [...tuesdays.daysOff], extraWorkingDays: [] }, local(zone, '2026-09-29 16:00'), 0)),
    ).toBe('2026-10-13 15:00');
  });
  it.each([-1, 1.5, Number.NaN])('refuses n = %p', (n) => {
    expect(() => addWorkingDays(cal, local(OMSK, '2026-12-01 10:00'), n)).toThrow(RangeError);
  });
});
