import { describe, expect, it } from '@jest/globals';
import type { Institution } from '@dp/protocol';
import { bodyOf, checkValues, serverFieldErrors, valuesOf } from './settings-form.ts';

const full = { start: '09:00', end: '16:00' };
const institution: Institution = {
  id: '01900000-0000-7000-8000-000000000001',
  departmentId: '01900000-0000-7000-8000-000000000002',
  name: 'КЦСОН Седельниково',
  resourceCentre: false,
  phone: null,
  calendar: {
    timeZone: 'Asia/Omsk',
    week: { '1': full, '2': full, '3': full, '4': full, '5': { start: '09:00', end: '15:00' }, '6': null, '7': null },
    lunch: { start: '13:00', end: '14:00' },
    daysOff: ['2026-12-30', '2026-11-20'],
    extraWorkingDays: ['2026-12-26'],
  },
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('institution settings form', () => {
  it('round-trips an institution through the form unchanged (days sorted, extra working days kept)', () => {
    const body = bodyOf(valuesOf(institution), institution);
    expect(body).toEqual({
      name: institution.name,
      phone: null,
      calendar: { ...institution.calendar, daysOff: ['2026-11-20', '2026-12-30'] },
    });
    expect(checkValues(valuesOf(institution))).toEqual({});
  });

  it('a day switched off sends null; no lunch sends null; an empty phone clears it', () => {
    const v = valuesOf({ ...institution, phone: '+7 3812 00-00-00' });
    v.week['5'].on = false;
    v.lunchOn = false;
    v.phone = '  ';
    const body = bodyOf(v, institution);
    expect(body.calendar?.week?.['5']).toBeNull();
    expect(body.calendar?.lunch).toBeNull();
    expect(body.phone).toBeNull();
  });

  it('finds what the server would refuse, on the fields', () => {
    const v = valuesOf(institution);
    v.name = ' ';
    v.phone = 'звоните';
    v.week['1'] = { on: true, start: '16:00', end: '09:00' };
    v.week['2'] = { on: true, start: '9', end: '16:00' };
    v.lunchEnd = '12:00';
    expect(checkValues(v)).toEqual({
      name: 'name',
      phone: 'phone',
      'week.1.end': 'endBeforeStart',
      'week.2.start': 'time',
      lunchEnd: 'lunchEndBeforeStart',
    });
    for (const d of ['1', '2', '3', '4', '5', '6', '7'] as const) v.week[d].on = false;
    expect(checkValues(v)['week.1.on']).toBe('noWorkingDay');
  });

  it('puts the server’s field paths on the form’s fields', () => {
    expect(
      serverFieldErrors({
        name: 'Too small',
        phone: 'a phone number',
        'calendar.timeZone': 'expected an IANA time zone',
        'calendar.week.3.end': 'end must be after start',
        'calendar.week': 'at least one weekday needs working hours',
        'calendar.lunch.end': 'end must be after start',
        'calendar.daysOff.0': 'Invalid ISO date',
        resourceCentre: 'expected boolean',
      }),
    ).toEqual({
      name: 'name',
      phone: 'phone',
      timeZone: 'timeZone',
      'week.3.end': 'endBeforeStart',
      'week.1.on': 'noWorkingDay',
      lunchEnd: 'lunchEndBeforeStart',
      daysOff: 'daysOff',
      '': 'other',
    });
    expect(serverFieldErrors(undefined)).toEqual({});
  });
});
