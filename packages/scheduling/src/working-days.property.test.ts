// Deadlines against an oracle that walks the calendar day by day with luxon.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { addWorkingDays, answerDeadline, ANSWER_WORKING_DAYS, productionCalendar, REQUEST_CHANNELS } from './index.ts';
import { NATIONAL_MONTHS, oracleHours, worldArb, worldArbOf, type World } from './test-support/arbitraries.ts';

const receivedArb = fc.integer({ min: 0, max: 45 * 24 * 60 - 1 }); // minutes from 10 days before the world's month

/** The deadline of `n` working days checked against the oracle; returns the deadline's local date. */
function checkDeadline(world: World, minutes: number, n: number): string {
  const { calendar } = world;
  const zone = calendar.timeZone;
  const received = DateTime.fromISO(`${world.month}-01`, { zone }).minus({ days: 10 }).plus({ minutes });
  const deadline = DateTime.fromJSDate(addWorkingDays(calendar, received.toJSDate(), n), { zone });

  // the counting day: the day of receipt if it is a working day and the request came before closing
  const closing = (date: DateTime) => {
    const h = oracleHours(calendar, date.toISODate()!);
    return h ? date.startOf('day').set({ hour: Math.floor(h.close / 60), minute: h.close % 60 }) : null;
  };
  let counting = received.startOf('day');
  const closeOfReceipt = closing(counting);
  if (!closeOfReceipt || received >= closeOfReceipt) {
    do counting = counting.plus({ days: 1 });
    while (!oracleHours(calendar, counting.toISODate()!));
  }

  const deadlineDay = deadline.startOf('day');
  expect(oracleHours(calendar, deadlineDay.toISODate()!)).not.toBeNull();
  expect(deadline.toMillis()).toBe(closing(deadlineDay)!.toMillis());
  let between = 0;
  for (let d = counting.plus({ days: 1 }); d <= deadlineDay; d = d.plus({ days: 1 })) {
    if (oracleHours(calendar, d.toISODate()!)) between++;
  }
  expect(between).toBe(n);
  expect(deadline.toMillis()).toBeGreaterThan(received.toMillis());
  return deadlineDay.toISODate()!;
}

describe('working-day deadlines (property)', () => {
  it('land at closing time of a working day with exactly n working days after the counting day', () => {
    fc.assert(
      fc.property(worldArb, receivedArb, fc.integer({ min: 0, max: 10 }), (world, minutes, n) => {
        checkDeadline(world, minutes, n);
      }),
      { numRuns: 150 },
    );
  });

  it('with the production calendar: never on a holiday or transferred day off, an hour earlier on a shortened day', () => {
    let onShortDay = 0;
    fc.assert(
      fc.property(worldArbOf(NATIONAL_MONTHS, true), receivedArb, fc.integer({ min: 0, max: 10 }), fc.boolean(), (world, m, k, early) => {
        // Half the requests arrive early on the month's shortened day (if any), due that day (else few would meet it).
        const shortDay = productionCalendar(Number(world.month.slice(0, 4))).shortDays.find((d) => d.startsWith(world.month));
        // 01:00–06:00 nominal: still that day, before opening, even an hour off after a DST change since the base instant
        const minutes = early && shortDay ? (Number(shortDay.slice(8, 10)) - 1 + 10) * 24 * 60 + 60 + (m % 300) : m;
        const n = early && shortDay ? 0 : k;
        const date = checkDeadline(world, minutes, n);
        const national = productionCalendar(Number(date.slice(0, 4)));
        expect(national.daysOff).not.toContain(date);
        if (national.shortDays.includes(date) && world.calendar.daysOff.every((d) => d !== date)) {
          const zone = world.calendar.timeZone;
          const weekday = DateTime.fromISO(date, { zone: 'UTC' }).weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7;
          const weekly = world.calendar.week[weekday] ?? world.calendar.week[1];
          const deadline = DateTime.fromJSDate(
            addWorkingDays(
              world.calendar,
              DateTime.fromISO(`${world.month}-01`, { zone }).minus({ days: 10 }).plus({ minutes }).toJSDate(),
              n,
            ),
            { zone },
          );
          if (weekly) {
            const close = Number(weekly.end.slice(0, 2)) * 60 + Number(weekly.end.slice(3, 5));
            expect(deadline.hour * 60 + deadline.minute).toBe(close - 60);
            onShortDay++;
          }
        }
      }),
      { numRuns: 150 },
    );
    expect(onShortDay).toBeGreaterThan(0); // the shortened close was checked at least once
  });

  it('answerDeadline is addWorkingDays with the channel’s days', () => {
    fc.assert(
      fc.property(worldArb, receivedArb, fc.constantFrom(...REQUEST_CHANNELS), (world, minutes, channel) => {
        const received = DateTime.fromISO(`${world.month}-01`, { zone: world.calendar.timeZone }).plus({ minutes }).toJSDate();
        expect(answerDeadline(world.calendar, received, channel)).toEqual(
          addWorkingDays(world.calendar, received, ANSWER_WORKING_DAYS[channel]),
        );
      }),
      { numRuns: 50 },
    );
  });
});
