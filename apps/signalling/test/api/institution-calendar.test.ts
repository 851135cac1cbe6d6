// The production calendar in force through the API on a real PostgreSQL: the national
// holidays and shortened pre-holiday days reach the free slots and the booking checks
// without being stored in the institution's own days off; one year of the calendar as the
// settings screen reads it; confirming a year without shipped data; update validation.
// Omsk is UTC+6 all year. November 2026: the 3rd (Tuesday) is shortened, the 4th (Wednesday)
// is the art. 112 holiday, the 5th (Thursday) an ordinary day.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrisma, type PrismaClient } from '@dp/db';
import type { ApiViolation, FreeSlots, Institution, InstitutionCalendarYear, MonthSchedule, StaffMember } from '@dp/protocol';
import { OMSK_CALENDAR, createTestDatabase, startApi, type ApiUnderTest, type Identity } from './support.ts';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let institution: Institution;
let psychologist: StaffMember;
let head: Identity;

const OWN_CALENDAR = { ...OMSK_CALENDAR, daysOff: ['2026-11-20'] };
/** The whole local day in Omsk, as instants. */
const day = (date: string) => {
  const from = Date.parse(`${date}T00:00:00+06:00`);
  return [new Date(from).toISOString(), new Date(from + 86_400_000).toISOString()] as const;
};
const localTime = (iso: string, plusMinutes = 0) => new Date(Date.parse(iso) + (6 * 60 + plusMinutes) * 60_000).toISOString().slice(11, 16);

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  api = await startApi({ prisma, now: new Date('2026-10-01T00:00:00Z') });
  institution = (await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OWN_CALENDAR })).body;
  psychologist = (
    await api.post<StaffMember>(`/institutions/${institution.id}/staff`, {
      email: 'psy@example.org',
      displayName: 'Психолог',
      role: 'specialist',
      specialist: { profession: 'psychologist', title: 'Педагог-психолог' },
    })
  ).body;
  head = await api.staff('head', institution.id);
  const schedule = `/institutions/${institution.id}/specialists/${psychologist.id}/schedules/2026-11`;
  const blocks = ['2026-11-03', '2026-11-04', '2026-11-05', '2026-11-20'].map((date) => ({ date, start: '09:00', end: '16:00' }));
  expect((await api.put<MonthSchedule>(schedule, { blocks })).status).toBe(200);
  expect((await api.as(head).post<MonthSchedule>(`${schedule}/approve`, {})).body.status).toBe('approved');
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

const slots = (date: string, durationMinutes: number) =>
  api.get<FreeSlots>(
    `/institutions/${institution.id}/specialists/${psychologist.id}/free-slots?from=${day(date)[0]}&to=${day(date)[1]}&durationMinutes=${durationMinutes}`,
  );

describe('the production calendar in the free slots and bookings', () => {
  test('a national holiday has no free slots, nor does an own day off; an ordinary day has', async () => {
    expect((await slots('2026-11-04', 30)).body.slots).toEqual([]);
    expect((await slots('2026-11-20', 30)).body.slots).toEqual([]);
    expect((await slots('2026-11-05', 30)).body.slots.length).toBeGreaterThan(0);
  });

  test('a shortened pre-holiday day ends an hour early', async () => {
    const ends = async (date: string) => {
      const found = (await slots(date, 30)).body.slots;
      return localTime(found.at(-1)!, 30);
    };
    expect(await ends('2026-11-05')).toBe('16:00');
    expect(await ends('2026-11-03')).toBe('15:00');
  });

  test('booking on the holiday is refused as a day off', async () => {
    const res = await api.post(`/institutions/${institution.id}/consultations`, {
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'on_request',
      specialistIds: [psychologist.id],
      start: '2026-11-04T04:00:00Z',
      durationMinutes: 30,
      topic: 'family',
      clients: [{ displayName: 'Иванова Мария', email: 'client@example.org' }],
    });
    expect(res.status).toBe(422);
    const violations = (res.error.details as { violations?: ApiViolation[] }).violations ?? [];
    expect(violations.map((v) => v.code)).toContain('day_off');
  });

  test('the national days are never written into the institution’s own days off', async () => {
    const stored = await prisma.institution.findUniqueOrThrow({ where: { id: institution.id } });
    expect(stored.daysOff).toEqual(['2026-11-20']);
    expect((await api.get<Institution>(`/institutions/${institution.id}`)).body.calendar.daysOff).toEqual(['2026-11-20']);
  });
});

describe('one year of the calendar in force', () => {
  const year = (y: number | string, who: Identity = api.admin) =>
    api.as(who).get<InstitutionCalendarYear>(`/institutions/${institution.id}/calendar?year=${y}`);
  const confirm = (y: number, who: Identity = api.admin) =>
    api.as(who).post<InstitutionCalendarYear>(`/institutions/${institution.id}/calendar/${y}/confirmation`);

  test('a shipped year: holidays, transfers, shortened days and the own days of that year', async () => {
    const res = await year(2026, await api.staff('social_worker', institution.id));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2026, shipped: true, confirmed: false, ownDaysOff: ['2026-11-20'], ownExtraWorkingDays: [] });
    expect(res.body.decree).toContain('1466');
    expect(res.body.holidays).toContain('2026-11-04');
    expect(res.body.nationalDaysOff).toEqual(expect.arrayContaining(['2026-01-09', '2026-03-09', '2026-05-11', '2026-12-31']));
    expect(res.body.shortDays).toEqual(['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03']);
    expect((await year(2025)).body.ownDaysOff).toEqual([]);
  });

  test('a year without shipped data: art. 112 holidays only until the head confirms it', async () => {
    const before = await year(2030);
    expect(before.body).toMatchObject({ shipped: false, decree: null, confirmed: false, shortDays: [], workedWeekendDays: [] });
    expect(before.body.nationalDaysOff).toEqual(before.body.holidays);
    expect(before.body.holidays).toHaveLength(14);

    const specialist = await api.staff('specialist', institution.id);
    expect((await confirm(2030, specialist)).status).toBe(403);
    const confirmed = await confirm(2030, head);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.confirmed).toBe(true);
    expect((await confirm(2030, head)).body.confirmed).toBe(true); // again: no change, no second row
    expect((await prisma.institution.findUniqueOrThrow({ where: { id: institution.id } })).calendarConfirmedYears).toEqual([2030]);
    expect((await year(2030)).body.confirmed).toBe(true);
    const audit = await prisma.auditEvent.findMany({ where: { action: 'institution.calendar_confirmed', targetId: institution.id } });
    expect(audit.map((a) => a.details)).toEqual([{ year: 2030 }]);
  });

  test('a shipped year needs no confirmation; a year out of range is a field error', async () => {
    const shipped = await confirm(2026);
    expect(shipped.status).toBe(422);
    expect(shipped.error.details).toMatchObject({ 'params.year': expect.any(String) });
    const bad = await year(1999);
    expect(bad.status).toBe(400);
    expect(bad.error.details).toMatchObject({ 'query.year': expect.any(String) });
    expect((await year('abc')).status).toBe(400);
  });
});

describe('institution settings validation', () => {
  const patch = (body: unknown) => api.as(head).patch<Institution>(`/institutions/${institution.id}`, body);

  test.each([
    ['a phone with letters', { phone: 'позвоните' }, 'phone'],
    ['an empty name', { name: '' }, 'name'],
    ['a fixed offset instead of a zone', { calendar: { timeZone: '+06:00' } }, 'calendar.timeZone'],
    [
      'hours ending before they start',
      { calendar: { week: { ...OMSK_CALENDAR.week, '1': { start: '16:00', end: '09:00' } } } },
      'calendar.week.1.end',
    ],
    [
      'a week without a working day',
      { calendar: { week: { 1: null, 2: null, 3: null, 4: null, 5: null, 6: null, 7: null } } },
      'calendar.week',
    ],
    ['a day off that is no date', { calendar: { daysOff: ['2026-02-30'] } }, 'calendar.daysOff.0'],
    ['lunch ending before it starts', { calendar: { lunch: { start: '14:00', end: '13:00' } } }, 'calendar.lunch.end'],
  ])('%s → 400 on the field', async (_what, body, field) => {
    const res = await patch(body);
    expect(res.status).toBe(400);
    expect(Object.keys(res.error.details as Record<string, string>)).toContain(field);
  });

  test('the head saves name, phone, hours, lunch and own days off', async () => {
    const res = await patch({
      name: 'КЦСОН Седельниковского района',
      phone: '+7 (38163) 2-12-34',
      calendar: { ...OWN_CALENDAR, lunch: { start: '12:30', end: '13:30' }, daysOff: ['2026-11-20', '2026-12-30'] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'КЦСОН Седельниковского района', phone: '+7 (38163) 2-12-34' });
    expect(res.body.calendar.daysOff).toEqual(['2026-11-20', '2026-12-30']);
  });
});
