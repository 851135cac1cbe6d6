import type { PrismaClient } from '@dp/db';
import { endingEvent, type ConsultationState, type LifecycleEvent } from '@dp/protocol';
import {
  decideOnFire,
  decideOnNotificationFire,
  hardLimit,
  isJobKind,
  isNotificationJobKind,
  jobPlan,
  notificationPlan,
  plansNoJobs,
} from '@dp/scheduling';
import { DueJobQueue, type FiredJob } from '@dp/scheduling/jobs';
import type { Logger } from 'pino';
import { applyChosenEvent, isIllegalTransition } from '../consultations/lifecycle-writer.ts';
import { addressNotice, headsOf } from './staff-notices.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { ConsultationMail } from '../notify/notifier.ts';

/** A job's effect on a consultation, for tests and the job-timing benchmark. */
export interface JobOutcome {
  job: FiredJob;
  action: string;
  /** When the room action was carried out. */
  actedAt: Date;
}

export interface TimetableServiceOptions {
  prisma: PrismaClient;
  redisUrl: string;
  rooms: RoomRegistry;
  log: Logger;
  now?: () => Date;
  queueName?: string;
  onOutcome?: (o: JobOutcome) => void;
  /** E-mail to the clients: with it, each consultation also gets a reminder and a feedback job (in a queue of their own). */
  notifier?: Pick<ConsultationMail, 'sendReminder' | 'sendFeedback'>;
}

/**
 * Carries out the timetable: keeps exactly one job set per consultation (from the
 * pure `jobPlan`) and, when a job fires, asks the pure `decideOnFire` what to do and
 * does it to the room and the record. The database is the truth: a job whose planned
 * start no longer matches the consultation is stale and does nothing.
 */
export class TimetableService {
  readonly queue: DueJobQueue;
  /**
   * The e-mail jobs (remind at T−2h, feedback at T+65): planned, replaced and made stale with
   * the room jobs, but in a queue of their own, so that a slow SMTP server never delays a room.
   */
  readonly mailQueue: DueJobQueue | undefined;
  private readonly notifier: TimetableServiceOptions['notifier'];
  private readonly prisma: PrismaClient;
  private readonly rooms: RoomRegistry;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly onOutcome: ((o: JobOutcome) => void) | undefined;

  constructor(opts: TimetableServiceOptions) {
    this.prisma = opts.prisma;
    this.rooms = opts.rooms;
    this.log = opts.log.child({ part: 'timetable' });
    this.now = opts.now ?? (() => new Date());
    this.onOutcome = opts.onOutcome;
    this.notifier = opts.notifier;
    this.mailQueue = opts.notifier
      ? new DueJobQueue({
          redisUrl: opts.redisUrl,
          queueName: `${opts.queueName ?? 'timetable'}-mail`,
          concurrency: 10,
          now: () => this.now().getTime(),
          onFire: (job) => this.fireMail(job),
          onError: (err, job) =>
            this.log.error({ err: err.message, consultationId: job?.consultationId, kind: job?.kind }, 'e-mail job failed'),
        })
      : undefined;
    this.queue = new DueJobQueue({
      redisUrl: opts.redisUrl,
      ...(opts.queueName ? { queueName: opts.queueName } : {}),
      now: () => this.now().getTime(),
      onFire: (job) => this.fire(job),
      onError: (err, job) =>
        this.log.error({ err: err.message, consultationId: job?.consultationId, kind: job?.kind }, 'timetable job failed'),
    });
  }

  start(): void {
    this.queue.start();
    this.mailQueue?.start();
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.mailQueue?.close();
  }

  /** Business time moved forward (the test harness's clock): the jobs now due run. */
  async replan(): Promise<void> {
    await this.queue.replan();
    await this.mailQueue?.replan();
  }

  /** The consultation was created, moved or cancelled: its job set follows. */
  async changed(consultationId: string): Promise<void> {
    const c = await this.prisma.consultation.findUnique({
      where: { id: consultationId },
      select: { id: true, start: true, state: true, form: true },
    });
    // Cancelled (or failed) while people are in the room: nobody stays on. Moved while the
    // specialist prepares in it: the room's limit is the old one, so it closes, and the
    // links admit again by the new time.
    const room = this.rooms.get(consultationId);
    const moved = c && room?.endsAt && room.endsAt.getTime() !== hardLimit(c.start).getTime();
    if (room && (!c || c.state === 'cancelled' || c.state === 'failed' || moved)) {
      await room.close(c && hardLimit(c.start).getTime() <= this.now().getTime() ? 'time_limit' : 'ended');
    }
    if (!c) {
      await this.mailQueue?.cancel(consultationId);
      return this.queue.cancel(consultationId);
    }
    // By telephone or e-mail: no room, so no pre-check, room opening, no-show or link reminders.
    const roomless = c.form !== 'online';
    await this.queue.replace(c.id, c.start, roomless ? [] : jobPlan({ id: c.id, start: c.start, state: c.state }));
    await this.mailQueue?.replace(c.id, c.start, roomless ? [] : notificationPlan({ id: c.id, start: c.start, state: c.state }));
  }

  /**
   * Rebuilds the job sets of every consultation that is not finished and whose limit
   * has not passed long ago (after a Redis loss, or a first start on old data).
   * Deterministic job ids make this idempotent.
   */
  async reconcile(): Promise<number> {
    const since = new Date(this.now().getTime() - 2 * 3600_000);
    const recent = await this.prisma.consultation.findMany({ where: { start: { gte: since } }, select: { id: true, state: true } });
    const open = recent.filter((c) => !plansNoJobs(c.state));
    for (const c of open) await this.changed(c.id);
    return open.length;
  }

  private async fire(job: FiredJob): Promise<void> {
    const c = await this.prisma.consultation.findUnique({
      where: { id: job.consultationId },
      select: {
        id: true,
        start: true,
        state: true,
        institutionId: true,
        specialists: { select: { specialistId: true } },
        prechecks: { where: { passed: true }, select: { id: true }, take: 1 },
      },
    });
    if (!c || c.start.getTime() !== job.plannedStart.getTime()) {
      this.log.info({ consultationId: job.consultationId, kind: job.kind }, 'stale job skipped (consultation moved or gone)');
      return;
    }
    if (!isJobKind(job.kind)) {
      // A kind of an earlier version still in Redis (e.g. `room_open`); reconcile planned its successor.
      this.log.info({ consultationId: c.id, kind: job.kind }, 'job of an unknown kind skipped');
      return;
    }
    const now = this.now();
    const decision = decideOnFire(job.kind, { state: c.state, start: c.start, precheckPassed: c.prechecks.length > 0 }, now);
    const room = this.rooms.get(c.id);
    switch (decision.action) {
      case 'open_precheck':
        await this.step(c.id, () => 'precheck_opened');
        await this.auditNotice(c, 'precheck_open');
        break;
      case 'alert_precheck':
        await this.auditNotice(c, 'precheck_alert');
        break;
      case 'admit_clients':
        await this.step(c.id, () => 'room_opened');
        break;
      case 'mark_no_show':
        await this.step(c.id, () => 'no_show');
        break;
      case 'warn':
        room?.warn(Math.max(1, Math.round(decision.msLeft / 60_000)));
        break;
      case 'close_room':
        // An open room records the limit itself as it closes; the step here covers a consultation
        // with no room (the second of the two is refused by the table and dropped).
        await room?.close('time_limit');
        await this.step(c.id, (state) => endingEvent(state, 'limit'));
        break;
      case 'wait':
        await this.queue.postpone(job, decision.until);
        break;
      case 'skip':
        break;
    }
    this.log.info({ consultationId: c.id, kind: job.kind, action: decision.action, lateMs: job.lateMs }, 'timetable job');
    this.onOutcome?.({ job, action: decision.action, actedAt: this.now() });
  }

  /** An e-mail job fired: judged like a room job (stale if the consultation moved), then sent or postponed. */
  private async fireMail(job: FiredJob): Promise<void> {
    if (!this.notifier || !this.mailQueue || !isNotificationJobKind(job.kind)) return;
    const c = await this.prisma.consultation.findUnique({
      where: { id: job.consultationId },
      select: { id: true, start: true, state: true },
    });
    if (!c || c.start.getTime() !== job.plannedStart.getTime()) {
      this.log.info({ consultationId: job.consultationId, kind: job.kind }, 'stale e-mail job skipped (consultation moved or gone)');
      return;
    }
    const decision = decideOnNotificationFire(job.kind, { state: c.state, start: c.start, precheckPassed: false }, this.now());
    switch (decision.action) {
      case 'send_reminder':
        await this.notifier.sendReminder(c.id);
        break;
      case 'send_feedback':
        await this.notifier.sendFeedback(c.id);
        break;
      case 'wait':
        await this.mailQueue.postpone(job, decision.until);
        break;
      case 'skip':
        break;
    }
    // Not reported to onOutcome: that observes the room jobs (tests, the job-timing benchmark).
    this.log.info({ consultationId: c.id, kind: job.kind, action: decision.action, lateMs: job.lateMs }, 'e-mail job');
  }

  /**
   * A lifecycle step of the timetable (no actor), through the one writer. A job that finds
   * the consultation moved on meanwhile (a person cancelled it, a client came in) is refused
   * by the table: that is a race lost, not an error.
   */
  private async step(id: string, choose: (state: ConsultationState) => LifecycleEvent): Promise<void> {
    try {
      await applyChosenEvent(this.prisma, id, choose, { actorId: null, at: this.now() });
    } catch (e) {
      if (!isIllegalTransition(e)) throw e;
      this.log.info({ consultationId: id, event: e.event, state: e.state }, 'timetable step refused by the lifecycle (moved on meanwhile)');
    }
  }

  /**
   * Writes the in-app notices as audit rows: for now they are audit events addressed to the
   * specialist or the head (the staff screens list them). They carry ids only.
   */
  private async auditNotice(
    c: { id: string; institutionId: string; specialists: { specialistId: string }[] },
    what: 'precheck_open' | 'precheck_alert',
  ): Promise<void> {
    const consultationId = c.id;
    const recipients = what === 'precheck_open' ? c.specialists.map((s) => s.specialistId) : await headsOf(this.prisma, c.institutionId);
    await addressNotice(this.prisma, what, recipients, c.institutionId, consultationId);
    if (what === 'precheck_alert')
      this.log.warn({ consultationId, heads: recipients.length }, 'pre-check not passed 5 minutes before the start');
  }
}
