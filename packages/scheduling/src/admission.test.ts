import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { admission } from './admission.ts';
import type { BookingState } from './booking.ts';

const start = new Date('2026-12-01T05:00:00Z');
const at = (min: number) => new Date(start.getTime() + min * 60_000);

describe('admission to a consultation room', () => {
  it('lets staff in from the pre-check (T−30) and clients from the start (T)', () => {
    expect(admission({ start, state: 'planned' }, 'staff', at(-31))).toEqual({ ok: false, code: 'not_open_yet', opensAt: at(-30) });
    expect(admission({ start, state: 'precheck' }, 'staff', at(-30))).toEqual({ ok: true, endsAt: at(60) });
    expect(admission({ start, state: 'precheck' }, 'client', at(-1))).toEqual({ ok: false, code: 'not_open_yet', opensAt: start });
    expect(admission({ start, state: 'open' }, 'client', at(0))).toEqual({ ok: true, endsAt: at(60) });
  });

  it('lets nobody in at or after the 60-minute limit, or once ended', () => {
    expect(admission({ start, state: 'live' }, 'client', at(59.99))).toMatchObject({ ok: true });
    expect(admission({ start, state: 'live' }, 'client', at(60))).toEqual({ ok: false, code: 'consultation_over' });
    expect(admission({ start, state: 'ended' }, 'staff', at(10))).toEqual({ ok: false, code: 'consultation_over' });
  });

  it('says a cancelled or failed consultation is cancelled', () => {
    expect(admission({ start, state: 'cancelled' }, 'client', at(5))).toEqual({ ok: false, code: 'cancelled' });
    expect(admission({ start, state: 'failed' }, 'staff', at(5))).toEqual({ ok: false, code: 'cancelled' });
  });

  it('never admits anyone outside [T−30, T+60), whatever the state', () => {
    const states: BookingState[] = ['planned', 'precheck', 'open', 'live', 'no_show'];
    fc.assert(
      fc.property(
        fc.constantFrom(...states),
        fc.constantFrom('staff' as const, 'client' as const),
        fc.integer({ min: -200, max: 200 }),
        (state, role, min) => {
          const r = admission({ start, state }, role, at(min));
          const lower = role === 'staff' ? -30 : 0;
          expect(r.ok).toBe(min >= lower && min < 60);
        },
      ),
    );
  });
});
