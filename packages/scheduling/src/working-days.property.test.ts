// Deadlines against an oracle that walks the calendar day by day with luxon.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { addWorkingDays, answerDeadline, ANSWER_WORKING_DAYS, REQUEST_CHANNELS } from './index.ts';
import { oracleHours, worldArb } from './test-support/arbitraries.ts';

const receivedArb = fc.integer({ min: 0, max: 45 * 24 * 60 - 1 }); // minutes from 10 days before the world's month

describe('working-day deadlines (property)', () => {
  it('land at closing time of a working day with exactly n working days after the counting day', () => {
    fc.assert(
      fc.property(worldArb, receivedArb, fc.integer({ min: 0, max: 10 }), (world, minutes, n) => {
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
      }),
      { numRuns: 150 },
    );
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
