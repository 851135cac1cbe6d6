// What the database itself enforces, whatever the application does.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { createPrisma, type PrismaClient } from '../src/client.ts';
import { migrateDeploy } from '../src/migrate.ts';
import { allocateRequestNumber } from '../src/request-number.ts';
import { seedDemo, type DemoIds } from '../src/seed-demo.ts';
import { startThrowawayPostgres, within, type ThrowawayPostgres } from './support/throwaway-postgres.ts';

let server: ThrowawayPostgres;
let url: string;
let prisma: PrismaClient;
let demo: DemoIds;

beforeAll(async () => {
  server = await startThrowawayPostgres();
  url = await server.createDatabase('constraints_test');
  await migrateDeploy(url);
  prisma = createPrisma(url, { poolSize: 5 });
  demo = await seedDemo(prisma, { now: new Date('2026-03-10T06:00:00Z') });
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await server?.stop();
}, 60_000);

function consultation(durationMinutes: number, start = new Date('2026-03-11T04:00:00Z')) {
  return prisma.consultation.create({
    data: {
      institutionId: demo.institutions.omsk,
      kind: 'one_to_one',
      direction: 'specialist_client',
      mode: 'planned',
      start,
      durationMinutes,
      specialists: { create: [{ specialistId: demo.specialists.psychologist }] },
    },
  });
}

/** A plain pg connection, for what Prisma's API does not express (TRUNCATE, lock_timeout). */
async function withPg<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('consultation duration', () => {
  test('the CHECK rejects 61 minutes and 0, and accepts 1 and 60', async () => {
    await expect(consultation(61)).rejects.toThrow(/consultations_duration_minutes_check/);
    await expect(consultation(0)).rejects.toThrow(/consultations_duration_minutes_check/);
    await expect(consultation(60)).resolves.toMatchObject({ durationMinutes: 60 });
    await expect(consultation(1)).resolves.toMatchObject({ durationMinutes: 1 });
  });

  test('an update past 60 minutes is rejected too', async () => {
    const c = await consultation(45);
    await expect(prisma.consultation.update({ where: { id: c.id }, data: { durationMinutes: 61 } })).rejects.toThrow(
      /consultations_duration_minutes_check/,
    );
  });
});

describe('audit_events is append-only', () => {
  test('UPDATE, DELETE and TRUNCATE are rejected; INSERT works', async () => {
    const event = await prisma.auditEvent.create({
      data: {
        actorType: 'staff',
        actorId: demo.headId,
        action: 'consultation.cancel',
        targetType: 'consultation',
        targetId: 'x',
        ip: '127.0.0.1',
      },
    });
    await expect(prisma.auditEvent.update({ where: { id: event.id }, data: { action: 'changed' } })).rejects.toThrow(/append-only: UPDATE/);
    await expect(prisma.auditEvent.updateMany({ data: { action: 'changed' } })).rejects.toThrow(/append-only: UPDATE/);
    await expect(prisma.auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only: DELETE/);
    await expect(prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only: DELETE/);
    await expect(withPg((c) => c.query('TRUNCATE audit_events'))).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(prisma.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).resolves.toMatchObject({
      action: 'consultation.cancel',
    });
    await expect(prisma.auditEvent.create({ data: { actorType: 'system', action: 'job.fired' } })).resolves.toBeDefined();
  });
});

describe('other rules the database keeps', () => {
  test('a specialist row follows its consultation when the start moves (trigger-kept copy)', async () => {
    const c = await consultation(30, new Date('2026-03-12T05:00:00Z'));
    const moved = new Date('2026-03-12T08:30:00Z');
    await prisma.consultation.update({ where: { id: c.id }, data: { start: moved, version: { increment: 1 } } });
    const row = await prisma.consultationSpecialist.findFirstOrThrow({ where: { consultationId: c.id } });
    expect(row.consultationStart.toISOString()).toBe(moved.toISOString());
    const inPeriod = await prisma.consultationSpecialist.findMany({
      where: {
        specialistId: demo.specialists.psychologist,
        consultationStart: { gte: new Date('2026-03-12T08:00:00Z'), lt: new Date('2026-03-12T09:00:00Z') },
      },
    });
    expect(inPeriod.map((r) => r.consultationId)).toEqual([c.id]);
  });

  test('calendar values are checked: a fixed-offset zone, a malformed week and a bad date are refused', async () => {
    const base = {
      departmentId: demo.departmentId,
      name: 'Проверка',
      week: { 1: null, 2: null, 3: null, 4: null, 5: null, 6: null, 7: null },
    };
    await expect(prisma.institution.create({ data: { ...base, timeZone: 'Etc/GMT-6' } })).rejects.toThrow(/institutions_time_zone_check/);
    await expect(
      prisma.institution.create({ data: { ...base, timeZone: 'Asia/Omsk', week: { 1: { start: '9:00', end: '16:00' } } } }),
    ).rejects.toThrow(/institutions_week_check/);
    await expect(prisma.institution.create({ data: { ...base, timeZone: 'Asia/Omsk', daysOff: ['2026-13-01'] } })).rejects.toThrow(
      /institutions_days_off_check/,
    );
    await expect(
      prisma.institution.create({ data: { ...base, timeZone: 'Asia/Omsk', lunchStart: '14:00', lunchEnd: '13:00' } }),
    ).rejects.toThrow(/institutions_lunch_check/);
  });

  test('an anonymous request keeps no names', async () => {
    const n = await allocateRequestNumber(prisma, demo.institutions.omsk, 2026);
    await expect(
      prisma.request.create({
        data: {
          institutionId: demo.institutions.omsk,
          year: 2026,
          number: n,
          receivedAt: new Date(),
          channel: 'phone',
          fromWhom: 'Аноним',
          anonymous: true,
          childName: 'Имя',
          reason: 'Вопрос',
        },
      }),
    ).rejects.toThrow(/requests_anonymous_check/);
  });

  test('a registry client keeps a contact and a sane age; an anonymous request has no client', async () => {
    const client = (data: { phone?: string | null; childAge?: number }) =>
      prisma.client.create({
        data: {
          institutionId: demo.institutions.omsk,
          representativeName: 'Представитель',
          consentMethod: 'written',
          consentAt: new Date(),
          consentRecordedById: demo.socialWorkerId,
          ...data,
        },
      });
    await expect(client({ phone: null })).rejects.toThrow(/clients_contact_check/);
    await expect(client({ phone: '+7 900 000-00-09', childAge: 121 })).rejects.toThrow(/clients_child_age_check/);
    const ok = await client({ phone: '+7 900 000-00-09', childAge: 7 });
    const n = await allocateRequestNumber(prisma, demo.institutions.omsk, 2026);
    await expect(
      prisma.request.create({
        data: {
          institutionId: demo.institutions.omsk,
          year: 2026,
          number: n,
          receivedAt: new Date(),
          channel: 'phone',
          fromWhom: 'Аноним',
          anonymous: true,
          clientId: ok.id,
          reason: 'Вопрос',
        },
      }),
    ).rejects.toThrow(/requests_client_anonymous_check/);
  });

  test('request numbers are unique under concurrency: 1, 2, 3 … per institution and year', async () => {
    const numbers = await Promise.all(
      Array.from({ length: 8 }, () => prisma.$transaction((tx) => allocateRequestNumber(tx, demo.institutions.moscow, 2031))),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await allocateRequestNumber(prisma, demo.institutions.omsk, 2031)).toBe(1);
  });
});

describe('concurrency on a real server', () => {
  test('an open interactive transaction does not block other rows; the same row waits for it', async () => {
    const a = await consultation(30, new Date('2026-03-13T04:00:00Z'));
    const b = await consultation(30, new Date('2026-03-13T06:00:00Z'));

    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const released = new Promise<void>((r) => (release = r));
    const open = prisma.$transaction(
      async (tx) => {
        await tx.consultation.update({ where: { id: a.id }, data: { note: 'inside the transaction' } });
        entered();
        await released; // the transaction stays open, holding row A's lock, until the checks below are done
      },
      { timeout: 30_000 },
    );
    try {
      await within(5_000, inside, 'the transaction never started');
      // Another row, another connection: completes while the transaction is still open.
      const updatedB = await within(
        3_000,
        prisma.consultation.update({ where: { id: b.id }, data: { note: 'outside' } }),
        'update of row B',
      );
      expect(updatedB.note).toBe('outside');
      // Reading the locked row is not blocked either, and sees the committed value.
      const readA = await within(3_000, prisma.consultation.findUniqueOrThrow({ where: { id: a.id } }), 'read of row A');
      expect(readA.note).toBeNull();
      // Writing the same row does wait: proof that the transaction really is open and holding its lock.
      await expect(
        withPg(async (c) => {
          await c.query(`SET lock_timeout = '300ms'`);
          await c.query('UPDATE consultations SET note = $1 WHERE id = $2', ['competing', a.id]);
        }),
      ).rejects.toMatchObject({ code: '55P03' }); // lock_not_available
    } finally {
      release();
      await open;
    }
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id: a.id } })).note).toBe('inside the transaction');
  }, 30_000);
});
