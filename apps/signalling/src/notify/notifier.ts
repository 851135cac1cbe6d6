// E-mail to a consultation's clients over SMTP (nodemailer). Every attempt is recorded as one
// `notifications` row — what, to whom, when, delivered or not — and the message itself is
// never stored (152-FZ: it holds a name and a personal link; the template and the
// consultation say what it was). Sending never throws at the caller: an SMTP failure is a
// `failed` row, no SMTP configured is a `skipped` one. Logs carry ids only.
import type { NotificationKind, NotificationStatus, PrismaClient } from '@dp/db';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { CHANGE_REASON_TEXT } from '@dp/protocol';
import { linkExpiresAt, type LinkClaims } from '../links/link-token.ts';
import { buildMessage, type MailExtras, type MailLang, type MailMessage } from './templates.ts';

const MINUTE = 60_000;
/** An SMTP answer is kept up to this length (it never holds the message). */
const MAX_ERROR_LENGTH = 500;

export interface NotifierOptions {
  prisma: PrismaClient;
  /** smtp://user:pass@host:587 (smtps:// for implicit TLS); undefined: every notification is recorded as skipped. */
  smtpUrl: string | undefined;
  from: string;
  /** The public origin for links (no trailing slash needed). */
  publicUrl: () => string;
  /**
   * The API's link signer (deps.signLink / LinkSigner.sign). The expiry (linkExpiresAt) and the
   * participant's current link generation are the API's too, so the mailed link is the one
   * staff are shown — and after «Выдать новую ссылку», the new one.
   */
  signLink: (claims: LinkClaims) => string;
  log: Logger;
  now?: () => Date;
  /** Tests: a transport of their own instead of one made from smtpUrl. */
  transport?: Transporter;
}

export interface SendOptions {
  /** The template's language; clients get Russian unless told otherwise. */
  lang?: MailLang;
  /** Only these participants (clients added to a planned webinar); default: every client participant. */
  only?: readonly string[];
}

/** One recorded attempt (the row's id and outcome; no address). */
export interface NotificationOutcome {
  notificationId: string;
  participantId: string;
  status: NotificationStatus;
}

/** The outcome of one written message (no address, no text). */
export interface SentMessage {
  status: NotificationStatus;
  error: string | null;
  sentAt: Date | null;
}

/** A booking change the API tells the clients about. */
export type BookingChange = 'created' | 'rescheduled' | 'cancelled' | 'reassigned';

/** What the API and the timetable call (the Notifier, or nothing where no mail is wired). */
export interface ConsultationMail {
  /** The API's one call after a change committed: the matching mail, in the background. */
  bookingChanged(change: BookingChange, consultationId: string): void;
  sendInvitation(consultationId: string, opts?: SendOptions): Promise<NotificationOutcome[]>;
  sendReminder(consultationId: string, opts?: SendOptions): Promise<NotificationOutcome[]>;
  sendRescheduled(consultationId: string, previousStart?: Date | null, opts?: SendOptions): Promise<NotificationOutcome[]>;
  sendCancelled(consultationId: string, opts?: SendOptions): Promise<NotificationOutcome[]>;
  sendFeedback(consultationId: string, opts?: SendOptions): Promise<NotificationOutcome[]>;
  sendTechnicalFailure(consultationId: string, newStart: Date | null, opts?: SendOptions): Promise<NotificationOutcome[]>;
  /** One written message (the answer to a consultation by e-mail) to one address; never throws. */
  sendMessage(to: string, message: MailMessage): Promise<SentMessage>;
  /** Runs a send in the background (after a response went out); errors are logged, never thrown. */
  background(what: string, consultationId: string, send: () => Promise<unknown>): void;
}

type Loaded = NonNullable<Awaited<ReturnType<Notifier['load']>>>;

export class Notifier implements ConsultationMail {
  private readonly prisma: PrismaClient;
  private readonly transport: Transporter | undefined;
  private readonly from: string;
  private readonly publicUrl: () => string;
  private readonly signLink: NotifierOptions['signLink'];
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(opts: NotifierOptions) {
    this.prisma = opts.prisma;
    this.from = opts.from;
    this.publicUrl = opts.publicUrl;
    this.signLink = opts.signLink;
    this.log = opts.log.child({ part: 'notify' });
    this.now = opts.now ?? (() => new Date());
    this.transport =
      opts.transport ??
      (opts.smtpUrl
        ? nodemailer.createTransport({
            url: opts.smtpUrl,
            // A mail server that does not answer must not hold a send (or shutdown) for minutes.
            connectionTimeout: 15_000,
            greetingTimeout: 15_000,
            socketTimeout: 30_000,
            logger: false,
            debug: false,
          })
        : undefined);
  }

  /** Whether an SMTP server is configured (else every notification is a `skipped` row). */
  get enabled(): boolean {
    return this.transport !== undefined;
  }

  sendInvitation(consultationId: string, opts: SendOptions = {}): Promise<NotificationOutcome[]> {
    return this.deliver('invitation', consultationId, opts);
  }

  /** The reminder before the start; a participant already reminded of this start is not reminded again. */
  sendReminder(consultationId: string, opts: SendOptions = {}): Promise<NotificationOutcome[]> {
    return this.deliver('reminder', consultationId, opts, {}, async (c) => {
      // Sent since the reminder for this start was due (T−2h): this start's reminder went already
      // (a job fired twice, or re-planned after a restart).
      const since = new Date(c.start.getTime() - 120 * MINUTE);
      return this.alreadySent(c.id, 'reminder', since);
    });
  }

  /** The move: `previousStart` defaults to the start before the last move (from its audit event). */
  async sendRescheduled(consultationId: string, previousStart?: Date | null, opts: SendOptions = {}): Promise<NotificationOutcome[]> {
    const before = previousStart ?? (await this.previousStart(consultationId));
    return this.deliver('rescheduled', consultationId, opts, before ? { previousStart: before } : {});
  }

  /** Another specialist takes the consultation at the same time (a «rescheduled» mail naming them). */
  async sendReassigned(consultationId: string, opts: SendOptions = {}): Promise<NotificationOutcome[]> {
    const specialists = await this.prisma.consultationSpecialist.findMany({
      where: { consultationId },
      select: { specialist: { select: { displayName: true } } },
    });
    const names = specialists.map((s) => s.specialist.displayName).join(', ');
    return this.deliver('rescheduled', consultationId, opts, names ? { newSpecialist: names } : {});
  }

  sendCancelled(consultationId: string, opts: SendOptions = {}): Promise<NotificationOutcome[]> {
    return this.deliver('cancelled', consultationId, opts);
  }

  /** After the consultation: the link to the participant's page («ссылка на анкету»); once per participant. */
  sendFeedback(consultationId: string, opts: SendOptions = {}): Promise<NotificationOutcome[]> {
    return this.deliver('feedback', consultationId, opts, {}, (c) => this.alreadySent(c.id, 'feedback', new Date(0)));
  }

  /**
   * The specialist's equipment failed (the pre-check): the consultation cannot take place at
   * its time. `newStart`: the new time when one is approved (the consultation may already have
   * been moved to it), null when the institution will call the client.
   */
  async sendTechnicalFailure(consultationId: string, newStart: Date | null, opts: SendOptions = {}): Promise<NotificationOutcome[]> {
    const row = await this.prisma.consultation.findUnique({ where: { id: consultationId }, select: { start: true } });
    // Already moved to the new time: the failed one is the start before the move.
    const failedStart =
      row && newStart && row.start.getTime() === newStart.getTime()
        ? ((await this.previousStart(consultationId)) ?? row.start)
        : row?.start;
    return this.deliver('technical_failure', consultationId, opts, { newStart }, undefined, failedStart);
  }

  async sendMessage(to: string, message: MailMessage): Promise<SentMessage> {
    if (!this.transport) return { status: 'skipped', error: 'SMTP is not configured (SMTP_URL is unset)', sentAt: null };
    try {
      await this.transport.sendMail({ from: this.from, to, subject: message.subject, text: message.text, html: message.html });
      return { status: 'sent', error: null, sentAt: this.now() };
    } catch (e) {
      return { status: 'failed', error: smtpError(e), sentAt: null };
    }
  }

  bookingChanged(change: BookingChange, consultationId: string): void {
    this.background(change, consultationId, () => {
      switch (change) {
        case 'created':
          return this.sendInvitation(consultationId);
        case 'rescheduled':
          return this.sendRescheduled(consultationId);
        case 'cancelled':
          return this.sendCancelled(consultationId);
        case 'reassigned':
          return this.sendReassigned(consultationId);
      }
    });
  }

  background(what: string, consultationId: string, send: () => Promise<unknown>): void {
    const p = send()
      .catch((e: unknown) => this.log.error({ consultationId, what, errName: (e as Error)?.name }, 'notification could not be recorded'))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Resolves when every background send has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    await this.idle();
    this.transport?.close();
  }

  private async load(consultationId: string) {
    return this.prisma.consultation.findUnique({
      where: { id: consultationId },
      select: {
        id: true,
        start: true,
        durationMinutes: true,
        form: true,
        // The category only: the free-text reason (cancelledReason) is for staff and never mailed.
        changeReason: true,
        institution: { select: { name: true, timeZone: true } },
        participants: {
          // Clients only: staff are told in the app. A revoked link is no longer theirs to use.
          where: { staffUserId: null, linkRevokedAt: null },
          select: { id: true, role: true, email: true, displayName: true, linkGeneration: true },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        },
      },
    });
  }

  /** The start before the consultation's last move (the audit event keeps it; no personal data there). */
  private async previousStart(consultationId: string): Promise<Date | null> {
    const event = await this.prisma.auditEvent.findFirst({
      where: { targetType: 'consultation', targetId: consultationId, action: 'consultation.rescheduled' },
      orderBy: { id: 'desc' },
      select: { details: true },
    });
    const from = (event?.details as { from?: unknown } | null)?.from;
    return typeof from === 'string' ? new Date(from) : null;
  }

  private async alreadySent(consultationId: string, kind: NotificationKind, since: Date): Promise<Set<string>> {
    const rows = await this.prisma.notification.findMany({
      where: { consultationId, kind, status: 'sent', createdAt: { gte: since }, participantId: { not: null } },
      select: { participantId: true },
    });
    return new Set(rows.map((r) => r.participantId!));
  }

  private async deliver(
    kind: NotificationKind,
    consultationId: string,
    opts: SendOptions,
    extras: MailExtras = {},
    alreadyTold?: (c: Loaded) => Promise<Set<string>>,
    shownStart?: Date,
  ): Promise<NotificationOutcome[]> {
    const c = await this.load(consultationId);
    if (!c) {
      this.log.warn({ consultationId, kind }, 'notification for a consultation that does not exist');
      return [];
    }
    const told = alreadyTold ? await alreadyTold(c) : new Set<string>();
    const base = this.publicUrl().replace(/\/+$/, '');
    const expiresAt = linkExpiresAt(c.start);
    const out: NotificationOutcome[] = [];
    for (const p of c.participants) {
      if (told.has(p.id)) continue;
      if (opts.only && !opts.only.includes(p.id)) continue;
      if (!p.email) {
        // No address: nothing to send, but the client not told is recorded, so that the day
        // board lists the family to phone instead.
        const row = await this.prisma.notification.create({
          data: { kind, consultationId: c.id, participantId: p.id, recipient: '', status: 'skipped', error: NO_ADDRESS },
          select: { id: true },
        });
        out.push({ notificationId: row.id, participantId: p.id, status: 'skipped' });
        continue;
      }
      const link = `${base}/join/${this.signLink({ consultationId: c.id, participantId: p.id, role: p.role, generation: p.linkGeneration, expiresAt })}`;
      const message = buildMessage(
        kind,
        {
          institutionName: c.institution.name,
          timeZone: c.institution.timeZone,
          start: shownStart ?? c.start,
          durationMinutes: c.durationMinutes,
          link,
          displayName: p.displayName,
          form: c.form,
        },
        opts.lang ?? 'ru',
        (kind === 'cancelled' || kind === 'rescheduled') && c.changeReason
          ? { ...extras, reason: CHANGE_REASON_TEXT[c.changeReason][opts.lang ?? 'ru'] }
          : extras,
      );
      let status: NotificationStatus;
      let error: string | null = null;
      let sentAt: Date | null = null;
      if (!this.transport) {
        status = 'skipped';
        error = 'SMTP is not configured (SMTP_URL is unset)';
      } else {
        try {
          await this.transport.sendMail({ from: this.from, to: p.email, subject: message.subject, text: message.text, html: message.html });
          status = 'sent';
          sentAt = this.now();
        } catch (e) {
          status = 'failed';
          error = smtpError(e);
        }
      }
      const row = await this.prisma.notification.create({
        data: { kind, consultationId: c.id, participantId: p.id, recipient: p.email, status, error, sentAt },
        select: { id: true },
      });
      const level = status === 'failed' ? 'warn' : 'info';
      this.log[level]({ consultationId: c.id, participantId: p.id, notificationId: row.id, kind, status }, 'notification');
      out.push({ notificationId: row.id, participantId: p.id, status });
    }
    return out;
  }
}

/** Why a client was not e-mailed when the booking left no address. */
export const NO_ADDRESS = 'no e-mail address';

/** The SMTP server's answer (or the connection error), never the message; at most 500 characters. */
export function smtpError(e: unknown): string {
  const err = e as { response?: unknown; responseCode?: unknown; code?: unknown; message?: unknown };
  const text =
    typeof err?.response === 'string' && err.response
      ? err.response
      : [typeof err?.code === 'string' ? err.code : null, typeof err?.message === 'string' ? err.message : 'unknown error']
          .filter(Boolean)
          .join(': ');
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_ERROR_LENGTH);
}
