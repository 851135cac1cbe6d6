import type { PrismaClient } from '@dp/db';
import { hardLimitOf, isLead, mayJoin, PRECHECK_MINUTES, ProtocolError, type LinkInfo, type RoomKind } from '@dp/protocol';
import type { LinkClaims } from '../links/link-token.ts';
import { labelOf } from '../rooms/room-store.ts';

const ENTRY_REFUSED = {
  cancelled: 'the consultation was cancelled',
  technical_failure: 'the specialist reported a technical failure',
  consultation_over: 'the consultation is over',
} as const;

export interface Entry {
  kind: RoomKind;
  /** The hard cap (planned start + 60 min): the room closes itself then. */
  endsAt: Date;
  /** The booked end (planned start + booked duration): the page's timer counts to it. */
  bookedEndsAt: Date;
  /** What the others see of this participant. */
  label: string;
  /** «Групповая консультация»: a webinar's attendees may speak without raising a hand. */
  openFloor: boolean;
}

/**
 * Whether a link (or a signed-in member of staff) may enter its consultation's room now,
 * from the timetable in the database: staff from the pre-check (T−30), clients from T,
 * nobody past T+60 or after cancellation; a revoked participant, or a link of an earlier
 * generation, never.
 */
export class ConsultationGate {
  private readonly prisma: PrismaClient;
  private readonly now: () => Date;

  constructor(prisma: PrismaClient, now: () => Date = () => new Date()) {
    this.prisma = prisma;
    this.now = now;
  }

  /** What the link page shows before anyone enters: when, in whose time zone, and whether now. */
  async describe(claims: LinkClaims): Promise<LinkInfo['consultation']> {
    const c = await this.consultationOf(claims);
    const staff = isLead(claims.role);
    const a = mayJoin(c, staff ? 'staff' : 'client', this.now());
    const status = a.ok ? 'open' : a.code === 'not_open_yet' ? 'upcoming' : a.code === 'consultation_over' ? 'over' : a.code; // cancelled, technical_failure
    return {
      status,
      startsAt: c.start.toISOString(),
      opensAt: new Date(c.start.getTime() - (staff ? PRECHECK_MINUTES * 60_000 : 0)).toISOString(),
      endsAt: hardLimitOf(c.start).toISOString(),
      timeZone: c.institution.timeZone,
      institutionPhone: c.institution.phone,
      ...(await this.aboutOf(claims, c)),
    };
  }

  /** With whom, where and what about; a move and the client's own answer (the link page's words). */
  private async aboutOf(
    claims: LinkClaims,
    c: { kind: RoomKind; topic: string | null; changeReason: string | null; institution: { name: string } },
  ): Promise<Omit<LinkInfo['consultation'], 'status' | 'startsAt' | 'opensAt' | 'endsAt' | 'timeZone' | 'institutionPhone'>> {
    const [specialist, moved, answer] = await Promise.all([
      this.prisma.consultationSpecialist.findFirst({
        where: { consultationId: claims.consultationId },
        orderBy: { specialistId: 'asc' },
        select: { specialist: { select: { displayName: true, specialistProfile: { select: { title: true } } } } },
      }),
      this.prisma.consultationTransition.findFirst({
        where: { consultationId: claims.consultationId, event: 'reschedule', previousStart: { not: null } },
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        select: { previousStart: true },
      }),
      this.prisma.clientAnswer.findFirst({
        where: { consultationId: claims.consultationId, participantId: claims.participantId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: { kind: true, createdAt: true },
      }),
    ]);
    return {
      institutionName: c.institution.name,
      specialist: specialist
        ? { name: specialist.specialist.displayName, title: specialist.specialist.specialistProfile?.title ?? null }
        : null,
      topic: c.topic,
      kind: c.kind,
      previousStartsAt: moved?.previousStart?.toISOString() ?? null,
      changeReason: c.changeReason,
      answer: answer ? { kind: answer.kind, at: answer.createdAt.toISOString() } : null,
    };
  }

  private async consultationOf(claims: LinkClaims) {
    const participant = await this.prisma.participant.findFirst({
      where: { id: claims.participantId, consultationId: claims.consultationId },
      select: {
        role: true,
        linkRevokedAt: true,
        linkGeneration: true,
        displayName: true,
        staffUser: { select: { displayName: true } },
        consultation: {
          select: {
            start: true,
            durationMinutes: true,
            state: true,
            endedAt: true,
            kind: true,
            openFloor: true,
            topic: true,
            changeReason: true,
            institution: { select: { timeZone: true, phone: true, name: true } },
          },
        },
      },
    });
    // A link whose participant is unknown is as good as forged; a revoked one says so, and so
    // does one of an earlier generation (staff issued a new link: «Выдать новую ссылку»).
    if (!participant || participant.role !== claims.role) throw new ProtocolError('invalid_token', 'link is invalid or expired');
    if (participant.linkRevokedAt || participant.linkGeneration !== claims.generation) {
      throw new ProtocolError('link_revoked', 'this link was revoked');
    }
    return { ...participant.consultation, label: labelOf(participant) };
  }

  async enter(claims: LinkClaims): Promise<Entry> {
    const c = await this.consultationOf(claims);
    // The lifecycle's rule: staff from T−30, clients from T (late after the no-show mark too),
    // nobody once over, ended, cancelled or failed (nobody until the head sets a new time).
    const a = mayJoin(c, isLead(claims.role) ? 'staff' : 'client', this.now());
    if (!a.ok) {
      if (a.code === 'not_open_yet') {
        throw new ProtocolError('not_open_yet', 'the room opens later', {
          opensAt: a.opensAt.toISOString(),
          startsAt: c.start.toISOString(),
        });
      }
      throw new ProtocolError(a.code, ENTRY_REFUSED[a.code]);
    }
    return {
      kind: c.kind,
      endsAt: a.endsAt,
      bookedEndsAt: new Date(c.start.getTime() + c.durationMinutes * 60_000),
      label: c.label,
      openFloor: c.openFloor,
    };
  }
}
