import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DueJobQueue, type FiredJob, type PlannedJob } from '../src/jobs/due-job-queue.ts';
import { startThrowawayRedis } from './local-redis.ts';

// Real Redis (Debian's redis-server, AOF on), real BullMQ.

let redis: Awaited<ReturnType<typeof startThrowawayRedis>>;
beforeAll(async () => {
  redis = await startThrowawayRedis();
}, 30_000);
afterAll(() => redis?.stop());

const plan = (consultationId: string, start: Date, offsetsMin: Record<string, number>): PlannedJob<string>[] =>
  Object.entries(offsetsMin).map(([kind, m]) => ({
    kind,
    at: new Date(start.getTime() + m * 60_000),
    jobId: `${consultationId}:${kind}:${start.getTime()}`,
  }));

/** Polls `cond` until it holds (instead of sleeping for a guessed time). */
async function until(cond: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function collector() {
  const fired: FiredJob[] = [];
  const waiters: (() => void)[] = [];
  return {
    fired,
    onFire: async (j: FiredJob) => {
      fired.push(j);
      waiters.splice(0).forEach((w) => w());
    },
    async until(n: number, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      while (fired.length < n) {
        if (Date.now() > end) throw new Error(`only ${fired.length} of ${n} jobs fired`);
        await new Promise<void>((r) => (waiters.push(r), setTimeout(r, 200)));
      }
    },
  };
}

describe('one job set per consultation', () => {
  let q: DueJobQueue;
  beforeAll(() => {
    q = new DueJobQueue({ redisUrl: redis.url, queueName: 'sets', onFire: async () => undefined });
  });
  afterAll(async () => q.close());

  const offsets = { precheck_open: -30, clients_admitted: 0, warn_10: 50, hard_limit: 60 };

  it('holds exactly the planned jobs, and adding the same plan again duplicates nothing', async () => {
    const start = new Date(Date.now() + 3 * 3600_000);
    await q.replace('c1', start, plan('c1', start, offsets));
    await q.replace('c1', start, plan('c1', start, offsets));
    const ids = (await q.pending('c1')).map((j) => j.id).sort();
    expect(ids).toEqual(
      plan('c1', start, offsets)
        .map((p) => p.jobId)
        .sort(),
    );
  });

  it('moving a consultation replaces its whole set: no orphan, no duplicate', async () => {
    const first = new Date(Date.now() + 5 * 3600_000);
    const moved = new Date(first.getTime() + 24 * 3600_000);
    await q.replace('c2', first, plan('c2', first, offsets));
    const removed = await q.replace('c2', moved, plan('c2', moved, offsets));
    expect(removed).toHaveLength(4);
    const pending = await q.pending('c2');
    expect(pending.map((j) => j.id).sort()).toEqual(
      plan('c2', moved, offsets)
        .map((p) => p.jobId)
        .sort(),
    );
    expect(new Set(pending.map((j) => j.kind)).size).toBe(4);
    // Other consultations are untouched.
    expect(await q.pending('c1')).toHaveLength(4);
  });

  it('cancelling removes the set', async () => {
    await q.cancel('c2');
    expect(await q.pending('c2')).toEqual([]);
  });
});

describe('firing', () => {
  it('fires each job once, never before it is due', async () => {
    const c = collector();
    const q = new DueJobQueue({ redisUrl: redis.url, queueName: 'fire', onFire: c.onFire });
    try {
      q.start();
      const start = new Date(Date.now() + 1500);
      await q.replace('f1', start, plan('f1', start, { a: 0, b: 0.02 }));
      await c.until(2);
      for (const f of c.fired) expect(f.firedAt.getTime()).toBeGreaterThanOrEqual(f.dueAt.getTime());
      expect(c.fired.map((f) => f.kind).sort()).toEqual(['a', 'b']);
      expect(c.fired[0]!.plannedStart).toEqual(start);
      // Nothing left to fire (none waiting, delayed or running, both completed): a second firing could only come from here.
      await until(async () => {
        const n = await q.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'completed');
        return n['waiting']! + n['delayed']! + n['active']! + n['prioritized']! === 0 && n['completed'] === 2;
      }, 'the queue drained');
      expect(await q.queue.getJobCounts('completed', 'failed')).toEqual({ completed: 2, failed: 0 });
      expect(c.fired).toHaveLength(2);
    } finally {
      await q.close(); // an open queue would keep reconnecting to the stopped Redis
    }
  });

  it('a job due while no worker ran fires as soon as one starts, marked late', async () => {
    const c = collector();
    const producer = new DueJobQueue({ redisUrl: redis.url, queueName: 'late', onFire: async () => undefined });
    const start = new Date(Date.now() + 300);
    await producer.replace('l1', start, plan('l1', start, { hard_limit: 0 }));
    await producer.close();
    // The signalling process is "down" until the job is more than a second overdue.
    await until(async () => Date.now() > start.getTime() + 1000, 'the job overdue');
    const consumer = new DueJobQueue({ redisUrl: redis.url, queueName: 'late', onFire: c.onFire });
    try {
      const startedAt = Date.now();
      consumer.start();
      await c.until(1);
      expect(c.fired[0]!.lateMs).toBeGreaterThanOrEqual(startedAt - start.getTime());
      expect(c.fired[0]!.lateMs).toBeGreaterThan(1000);
    } finally {
      await consumer.close();
    }
  });

  it('survives a restart of Redis (persistence on)', async () => {
    const c = collector();
    const producer = new DueJobQueue({ redisUrl: redis.url, queueName: 'durable', onFire: async () => undefined });
    const start = new Date(Date.now() + 4000);
    await producer.replace('d1', start, plan('d1', start, { clients_admitted: 0 }));
    await producer.close();
    redis.restart();
    const consumer = new DueJobQueue({ redisUrl: redis.url, queueName: 'durable', onFire: c.onFire });
    try {
      expect((await consumer.pending('d1')).map((j) => j.kind)).toEqual(['clients_admitted']);
      consumer.start();
      await c.until(1);
      expect(c.fired[0]!.consultationId).toBe('d1');
    } finally {
      await consumer.close();
    }
  }, 30_000);
});
