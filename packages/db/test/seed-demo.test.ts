import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { institutionCalendar, monthSchedule } from '../src/calendar.ts';
import { createPrisma, type PrismaClient } from '../src/client.ts';
import { migrateDeploy } from '../src/migrate.ts';
import { seedDemo } from '../src/seed-demo.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.ts';

let server: ThrowawayPostgres;
let prisma: PrismaClient;

beforeAll(async () => {
  server = await startThrowawayPostgres();
  const url = await server.createDatabase('seed_test');
  await migrateDeploy(url);
  prisma = createPrisma(url, { poolSize: 4 });
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await server?.stop();
}, 60_000);

async function counts() {
  return {
    departments: await prisma.department.count(),
    institutions: await prisma.institution.count(),
    staff: await prisma.staffUser.count(),
    profiles: await prisma.specialistProfile.count(),
    schedules: await prisma.specialistMonthSchedule.count(),
    blocks: await prisma.scheduleBlock.count(),
    requests: await prisma.request.count(),
    consultations: await prisma.consultation.count(),
    participants: await prisma.participant.count(),
  };
}

// 10:00 in Omsk on Wednesday 25 November 2026.
const NOW = new Date('2026-11-25T04:00:00Z');

describe('seedDemo', () => {
  test('creates the demo data once; running it again (even concurrently) changes nothing', async () => {
    const first = await seedDemo(prisma, { now: NOW });
    const after1 = await counts();
    expect(after1).toMatchObject({
      departments: 1,
      institutions: 2,
      staff: 4,
      profiles: 2,
      schedules: 4,
      requests: 3,
      consultations: 1,
      participants: 2,
    });
    expect(after1.blocks).toBeGreaterThan(0);

    const [second, third] = await Promise.all([seedDemo(prisma, { now: NOW }), seedDemo(prisma, { now: NOW })]);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(await counts()).toEqual(after1);
  }, 60_000);

  test('the consultation is today, 45 minutes, with its specialist and client', async () => {
    const ids = await seedDemo(prisma, { now: NOW });
    const c = await prisma.consultation.findUniqueOrThrow({
      where: { id: ids.consultationId },
      include: { specialists: true, participants: true },
    });
    expect(c.start.toISOString()).toBe('2026-11-25T04:00:00.000Z');
    expect(c.durationMinutes).toBe(45);
    expect(c.specialists.map((s) => s.specialistId)).toEqual([ids.specialists.psychologist]);
    expect(c.participants.map((p) => p.role).sort()).toEqual(['client', 'specialist']);
  });

  test('a run on the next day adds that day’s consultation and nothing else', async () => {
    const before = await counts();
    const next = await seedDemo(prisma, { now: new Date(NOW.getTime() + 86_400_000) });
    expect(await counts()).toEqual({ ...before, consultations: before.consultations + 1, participants: before.participants + 2 });
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id: next.consultationId } })).start.toISOString()).toBe(
      '2026-11-26T04:00:00.000Z',
    );
  });

  test('institution rows map 1:1 onto the scheduling package’s InstitutionCalendar', async () => {
    const ids = await seedDemo(prisma, { now: NOW });
    const omsk = institutionCalendar(await prisma.institution.findUniqueOrThrow({ where: { id: ids.institutions.omsk } }));
    expect(omsk).toMatchObject({
      timeZone: 'Asia/Omsk',
      week: {
        1: { start: '09:00', end: '16:00' },
        4: { start: '09:00', end: '16:00' },
        5: { start: '09:00', end: '15:00' },
        6: null,
        7: null,
      },
      lunch: { start: '13:00', end: '14:00' },
      extraWorkingDays: [],
    });
    // National holidays are never stored with the institution (the server adds them on every read).
    expect(omsk.daysOff).toEqual([]);
    const moscow = institutionCalendar(await prisma.institution.findUniqueOrThrow({ where: { id: ids.institutions.moscow } }));
    expect(moscow.timeZone).toBe('Europe/Moscow');
  });

  test('both specialists have approved schedules for this month and the next, with blocks inside the month and around lunch', async () => {
    const ids = await seedDemo(prisma, { now: NOW });
    const rows = await prisma.specialistMonthSchedule.findMany({
      include: { blocks: true },
      orderBy: [{ specialistId: 'asc' }, { month: 'asc' }],
    });
    const schedules = rows.map(monthSchedule);
    for (const specialistId of Object.values(ids.specialists)) {
      expect(schedules.filter((s) => s.specialistId === specialistId).map((s) => [s.month, s.status])).toEqual([
        ['2026-11', 'approved'],
        ['2026-12', 'approved'],
      ]);
    }
    for (const s of schedules) {
      for (const b of s.blocks) {
        expect(b.date.startsWith(s.month)).toBe(true);
        expect(b.start < b.end).toBe(true);
      }
    }
    const psychologistToday = schedules.find((s) => s.specialistId === ids.specialists.psychologist && s.month === '2026-11')!;
    expect(psychologistToday.blocks.filter((b) => b.date === '2026-11-25')).toEqual([
      { date: '2026-11-25', start: '09:00', end: '13:00' },
      { date: '2026-11-25', start: '14:00', end: '16:00' },
    ]);
    expect(psychologistToday.blocks.some((b) => b.date === '2026-11-04')).toBe(false); // a holiday
  });
});
