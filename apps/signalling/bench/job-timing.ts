// Job timing precision: how late a timetable job's action happens, p50/p99, with
// 1 000 consultations due in the next minute. Three runs on the same Redis:
//   1. bare BullMQ: a delayed job per consultation, lateness = when the worker starts it;
//   2. our DueJobQueue: queued 250 ms early, the handler waits for the exact moment;
//   3. the whole path: TimetableService loads the consultation from PostgreSQL, decides
//      (decideOnFire) and acts on a live Room (the 10-minute warning) — lateness = the action.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createPrisma, createScratchDatabase } from '@dp/db';
import { hasPercentile, percentile, writeBenchSection, writeReadmeFigure } from '@dp/infra-scripts/bench-report';
import { DueJobQueue } from '@dp/scheduling/jobs';
import { jobId } from '@dp/scheduling';
import { bookConsultation, forceStateForTest } from '../src/consultations/lifecycle-writer.ts';
import { prismaRoomRecords } from '../src/rooms/room-store.ts';
import { RoomRegistry } from '../src/rooms/room-registry.ts';
import { SfuClient } from '../src/sfu/sfu-client.ts';
import { TimetableService } from '../src/timetable/timetable-service.ts';

const N = Number(process.env.BENCH_JOBS ?? 1000);
const SPREAD_MS = Number(process.env.BENCH_SPREAD_MS ?? 60_000);
const redisUrl = process.env.REDIS_URL;
const databaseUrl = process.env.DATABASE_URL;
if (!redisUrl || !databaseUrl) throw new Error('REDIS_URL and DATABASE_URL must be set: run through ./pnpm bench');

const dueTimes = (leadMs = 5000) => {
  const t0 = Date.now() + leadMs;
  return Array.from({ length: N }, (_, i) => t0 + Math.floor((i * SPREAD_MS) / N));
};
const stats = (late: number[]) => {
  const s = [...late].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1)!, n: s.length };
};

async function bareBullmq(hz?: number): Promise<ReturnType<typeof stats>> {
  const connection = new Redis(redisUrl!, { maxRetriesPerRequest: null });
  const previousHz = ((await connection.config('GET', 'hz')) as string[])[1]!;
  if (hz) await connection.config('SET', 'hz', String(hz));
  const name = `bench-bare-${randomUUID()}`;
  const queue = new Queue(name, { connection });
  const late: number[] = [];
  const done = new Promise<void>((resolve) => {
    const worker = new Worker(
      name,
      async (job) => {
        late.push(Date.now() - (job.data as { due: number }).due);
        if (late.length === N) void worker.close().then(resolve);
      },
      { connection: connection.duplicate({ maxRetriesPerRequest: null }), concurrency: 100 },
    );
  });
  const now = Date.now();
  await queue.addBulk(dueTimes().map((due, i) => ({ name: 'j', data: { due }, opts: { jobId: `b${i}`, delay: due - now } })));
  await done;
  await queue.obliterate({ force: true });
  await connection.config('SET', 'hz', previousHz);
  await queue.close();
  connection.disconnect();
  return stats(late);
}

async function timetableQueue(): Promise<ReturnType<typeof stats>> {
  const late: number[] = [];
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const q = new DueJobQueue({
    redisUrl: redisUrl!,
    queueName: `bench-tt-${randomUUID()}`,
    onFire: async (job) => {
      late.push(job.lateMs);
      if (late.length === N) resolve();
    },
  });
  q.start();
  await Promise.all(
    dueTimes().map((due, i) => {
      const start = new Date(due);
      return q.replace(`c${i}`, start, [{ kind: 'clients_admitted', at: start, jobId: jobId(`c${i}`, 'clients_admitted', start) }]);
    }),
  );
  await done;
  await q.queue.obliterate({ force: true });
  await q.close();
  return stats(late);
}

async function wholePath(): Promise<ReturnType<typeof stats>> {
  const db = await createScratchDatabase(databaseUrl!);
  const prisma = createPrisma(db.url);
  const log = pino({ level: 'silent' });
  // Rooms need an SFU client only to open routers; the warning does not touch the SFU.
  const rooms = new RoomRegistry(new SfuClient({ url: 'ws://127.0.0.1:9', secret: 'unused-unused-unused' }), log, (id) =>
    prismaRoomRecords(prisma, id),
  );
  const late: number[] = [];
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const service = new TimetableService({
    prisma,
    redisUrl: redisUrl!,
    rooms,
    log,
    queueName: `bench-path-${randomUUID()}`,
    onOutcome: (o) => {
      if (o.action !== 'warn') return;
      late.push(o.actedAt.getTime() - o.job.dueAt.getTime());
      if (late.length === N) resolve();
    },
  });
  const department = await prisma.department.create({ data: { name: 'bench' } });
  const institution = await prisma.institution.create({
    data: {
      departmentId: department.id,
      name: 'bench',
      timeZone: 'Europe/Moscow',
      week: { '1': null, '2': null, '3': null, '4': null, '5': null, '6': null, '7': null },
    },
  });
  // Booking and walking 1000 consultations through the writer takes a few seconds: the first
  // job is due 30 s from now, and the run refuses to measure if the set-up was not done by then.
  const dues = dueTimes(30_000);
  // Each consultation is live (booked and walked there through the lifecycle writer) and its
  // T+50 warning is due at `due`.
  const rows = dues.map((due) => ({
    id: randomUUID(),
    institutionId: institution.id,
    kind: 'one_to_one' as const,
    direction: 'specialist_client' as const,
    mode: 'on_request' as const,
    start: new Date(due - 50 * 60_000),
    durationMinutes: 45,
  }));
  for (let i = 0; i < rows.length; i += 25) {
    await Promise.all(
      rows.slice(i, i + 25).map(async (r) => {
        await bookConsultation(prisma, r, { actorId: null, at: new Date() });
        await forceStateForTest(prisma, r.id, 'live');
      }),
    );
  }
  if (Date.now() > dues[0]! - 2000) throw new Error('job-timing: the set-up took longer than the lead time; raise it');
  for (const r of rows) rooms.getOrCreate(r.id, 'one_to_one', new Date(r.start.getTime() + 60 * 60_000));
  service.start();
  await Promise.all(
    rows.map((r) =>
      service.queue.replace(r.id, r.start, [
        { kind: 'warn_10', at: new Date(r.start.getTime() + 50 * 60_000), jobId: jobId(r.id, 'warn_10', r.start) },
      ]),
    ),
  );
  await done;
  await service.queue.queue.obliterate({ force: true });
  await service.close();
  await rooms.closeAll('server_shutdown');
  await prisma.$disconnect();
  await db.drop();
  return stats(late);
}

const fmt = (n: number) => n.toFixed(1);
// The versions this run used, read from the servers and the installed package.
const redisVersion = await (async () => {
  const c = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const info = await c.info('server');
  const aof = ((await c.config('GET', 'appendonly')) as string[])[1] === 'yes' ? 'AOF on' : 'AOF off';
  c.disconnect();
  return `${/redis_version:([^\r\n]+)/.exec(info)?.[1] ?? '?'} (${aof})`;
})();
const postgresVersion = await (async () => {
  const prisma = createPrisma(databaseUrl);
  const [row] = await prisma.$queryRaw<{ server_version: string }[]>`SHOW server_version`;
  await prisma.$disconnect();
  return row?.server_version.split(' ')[0] ?? '?';
})();
const bullmqVersion = (
  JSON.parse(readFileSync(new URL('../node_modules/bullmq/package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const rows: [string, ReturnType<typeof stats>][] = [];
for (const [label, run] of [
  ['bare BullMQ delayed jobs (worker start − due), Redis default hz 10', () => bareBullmq()],
  ['bare BullMQ, Redis `hz 100`', () => bareBullmq(100)],
  ['DueJobQueue: queued 250 ms early, exact wait in the handler', timetableQueue],
  ['whole path: job → PostgreSQL read → decideOnFire → room warning', wholePath],
] as const) {
  const s = await run();
  console.log(`${label}: p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(s.max)} ms (n=${s.n})`);
  rows.push([label, s]);
}
// p99 only when there are enough jobs for one (BENCH_JOBS may be small): otherwise it is the maximum.
const withP99 = hasPercentile(N, 99);
const [bare10, bare100, , whole] = rows.map(([, s]) => s);
const ratio = bare10!.p50 / bare100!.p50;
writeBenchSection(
  'job-timing',
  'Timetable job timing precision',
  `${N} jobs (one per consultation) due over the next ${SPREAD_MS / 1000} s, on Redis ${redisVersion} and PostgreSQL ${postgresVersion}, BullMQ ${bullmqVersion}, worker concurrency 100.
Lateness = when the action happened − when it was due.

| run | p50 (ms) |${withP99 ? ' p99 (ms) |' : ''} max (ms) |
|---|---:|${withP99 ? '---:|' : ''}---:|
${rows.map(([l, s]) => `| ${l} | ${fmt(s.p50)} |${withP99 ? ` ${fmt(s.p99)} |` : ''} ${fmt(s.max)} |`).join('\n')}

Target: ${withP99 ? 'p99' : 'max'} < 100 ms.

Why bare BullMQ is late: a BullMQ worker waits for the next delayed job with a blocking Redis command whose timeout is that
job's due time, and Redis resolves blocking timeouts on its server timer, which runs \`hz\` = 10 times a second by default —
a 100 ms tick (this run: median ${fmt(bare10!.p50)} ms, max ${fmt(bare10!.max)} ms late). With \`hz 100\` the same jobs were
${Number.isFinite(ratio) && bare100!.p50 > 0 ? `${ratio.toFixed(1)}×` : 'far'} less late at the median (${fmt(bare10!.p50)} → ${fmt(bare100!.p50)} ms, second row):
it is neither this machine nor BullMQ's own polling. Rather than ask every institution to retune its Redis, DueJobQueue
queues each job 250 ms early and the handler waits for the exact moment itself. If the process was down, the job is simply
late and acts at once (\`decideOnFire\` handles late jobs).`,
);
writeReadmeFigure(
  'job-timing',
  `a timetable job's room action is ${withP99 ? 'p99' : 'at most'} ${fmt(withP99 ? whole!.p99 : whole!.max)} ms late (bare BullMQ: ${fmt(withP99 ? bare10!.p99 : bare10!.max)} ms, because of Redis's 10 Hz timer)`,
);
process.exit(0);
