import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { PlannedJob } from '../job-plan.ts';

/** One timed job of a consultation, as the plans make it (jobPlan, notificationPlan); any kind. */
export type { PlannedJob };

export interface FiredJob {
  consultationId: string;
  kind: string;
  /** The planned start this job was computed from: a job of a moved consultation is stale. */
  plannedStart: Date;
  dueAt: Date;
  /** When the handler was called; `lateMs` = firedAt − dueAt (negative never happens). */
  firedAt: Date;
  lateMs: number;
}

interface JobData {
  consultationId: string;
  kind: string;
  plannedStart: string;
  dueAt: string;
}

export interface DueJobQueueOptions {
  redisUrl: string;
  queueName?: string;
  /**
   * Jobs are queued this much before they are due and the handler waits for the exact
   * moment itself: BullMQ hands a delayed job over tens of milliseconds late, a timer
   * in the process that already holds the job is ~1 ms late.
   */
  leadMs?: number;
  concurrency?: number;
  now?: () => number;
  onFire: (job: FiredJob) => Promise<void>;
  onError?: (err: Error, job: FiredJob | undefined) => void;
}

const setKey = (queue: string, consultationId: string) => `dp:${queue}:set:${consultationId}`;

/**
 * Delayed jobs on BullMQ (Redis), due at an instant: the timetable's room jobs and, in a
 * queue of its own, the e-mail jobs. For every consultation the queue
 * holds exactly one set of jobs; `replace` swaps the set (new one added first, then
 * the old one removed, so a crash in between leaves a stale job — which the handler
 * recognises by its planned start — never a missing one).
 */
export class DueJobQueue {
  readonly queue: Queue;
  private worker: Worker | undefined;
  private workerRedis: Redis | undefined;
  private readonly redis: Redis;
  private readonly opts: Required<Omit<DueJobQueueOptions, 'onError'>> & Pick<DueJobQueueOptions, 'onError'>;

  constructor(opts: DueJobQueueOptions) {
    this.opts = { queueName: 'timetable', leadMs: 250, concurrency: 100, now: Date.now, ...opts };
    this.redis = new Redis(this.opts.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.queue = new Queue(this.opts.queueName, {
      connection: this.redis,
      defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000, attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
    });
    // Connection trouble (Redis restarting) is reported, not thrown at the process.
    this.queue.on('error', (e) => this.opts.onError?.(e, undefined));
  }

  /** Makes `plan` the only job set of the consultation (and returns the ids it removed). */
  async replace(consultationId: string, plannedStart: Date, plan: PlannedJob<string>[]): Promise<string[]> {
    const key = setKey(this.opts.queueName, consultationId);
    const old: string[] = JSON.parse((await this.redis.get(key)) ?? '[]');
    const now = this.opts.now();
    await this.queue.addBulk(
      plan.map((p) => ({
        name: p.kind,
        data: { consultationId, kind: p.kind, plannedStart: plannedStart.toISOString(), dueAt: p.at.toISOString() } satisfies JobData,
        opts: { jobId: p.jobId, delay: Math.max(0, p.at.getTime() - now - this.opts.leadMs) },
      })),
    );
    const ids = plan.map((p) => p.jobId);
    await this.redis.set(key, JSON.stringify(ids));
    const gone = old.filter((id) => !ids.includes(id));
    // A job firing at this very moment is locked and cannot be removed; it finds its
    // planned start outdated and does nothing, so a failed removal is not an error.
    await Promise.allSettled(gone.map((id) => this.queue.remove(id)));
    return gone;
  }

  /**
   * Runs a fired job again at `until` (a decision to wait, e.g. the no-show check of a
   * room that opened late). The retry joins the consultation's set, so moving or
   * cancelling the consultation removes it too.
   */
  async postpone(job: FiredJob, until: Date): Promise<void> {
    const jobId = `${job.consultationId}|${job.kind}|retry|${until.getTime()}`;
    const data: JobData = {
      consultationId: job.consultationId,
      kind: job.kind,
      plannedStart: job.plannedStart.toISOString(),
      dueAt: until.toISOString(),
    };
    await this.queue.add(job.kind, data, { jobId, delay: Math.max(0, until.getTime() - this.opts.now() - this.opts.leadMs) });
    const key = setKey(this.opts.queueName, job.consultationId);
    const ids: string[] = JSON.parse((await this.redis.get(key)) ?? '[]');
    if (!ids.includes(jobId)) await this.redis.set(key, JSON.stringify([...ids, jobId]));
  }

  /** Removes the consultation's whole set (cancelled, ended early). */
  async cancel(consultationId: string): Promise<void> {
    await this.replace(consultationId, new Date(0), []);
    await this.redis.del(setKey(this.opts.queueName, consultationId));
  }

  /** The consultation's jobs that are still to fire, by id. */
  async pending(consultationId?: string): Promise<{ id: string; kind: string; consultationId: string; dueAt: string }[]> {
    const jobs = (await this.queue.getJobs(['delayed', 'waiting', 'prioritized'])) as Job<JobData>[];
    return jobs
      .filter((j) => j && (!consultationId || j.data.consultationId === consultationId))
      .map((j) => ({ id: j.id!, kind: j.data.kind, consultationId: j.data.consultationId, dueAt: j.data.dueAt }))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  }

  /**
   * Business time moved (the test harness's clock, apps/signalling/src/clock): every delayed job
   * is rescheduled by `now()` — those now due (within `leadMs`) are handed to the worker at once,
   * the others wait for the rest of their time. Returns how many were handed over.
   */
  async replan(): Promise<number> {
    const delayed = (await this.queue.getJobs(['delayed'])) as Job<JobData>[];
    let promoted = 0;
    for (const job of delayed) {
      if (!job) continue;
      const delay = Date.parse(job.data.dueAt) - this.opts.now() - this.opts.leadMs;
      // A job that fired or went meanwhile (its set was replaced) is no longer delayed: not an error.
      const moved = delay <= 0 ? job.promote().then(() => promoted++) : job.changeDelay(delay);
      await moved.catch(() => undefined);
    }
    return promoted;
  }

  /** Starts processing; a job whose process was down when it was due fires at once (late). */
  start(): void {
    if (this.worker) return;
    this.worker = new Worker<JobData>(
      this.opts.queueName,
      async (job) => {
        const dueAt = new Date(job.data.dueAt);
        // Timers run on the monotonic clock and may end a millisecond short of the wall
        // clock's due time: wait again until it has really passed (never act early).
        for (let wait = dueAt.getTime() - this.opts.now(); wait > 0; wait = dueAt.getTime() - this.opts.now()) {
          await new Promise((r) => setTimeout(r, wait));
        }
        const firedAt = new Date(this.opts.now());
        const fired: FiredJob = {
          consultationId: job.data.consultationId,
          kind: job.data.kind,
          plannedStart: new Date(job.data.plannedStart),
          dueAt,
          firedAt,
          lateMs: Math.max(0, firedAt.getTime() - dueAt.getTime()),
        };
        try {
          await this.opts.onFire(fired);
        } catch (e) {
          this.opts.onError?.(e as Error, fired);
          throw e; // BullMQ retries with back-off
        }
      },
      { connection: (this.workerRedis = this.redis.duplicate({ maxRetriesPerRequest: null })), concurrency: this.opts.concurrency },
    );
    this.worker.on('error', (e) => this.opts.onError?.(e, undefined));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    // Connections handed to BullMQ as instances stay ours to close.
    this.workerRedis?.disconnect();
    this.redis.disconnect();
  }
}
