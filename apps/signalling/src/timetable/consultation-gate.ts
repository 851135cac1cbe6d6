import type { PrismaClient } from '@dp/db';
import { ProtocolError, type LinkInfo, type RoomKind, type RoomRole } from '@dp/protocol';
import { admission, hardLimit, precheckWindow } from '@dp/scheduling';
import type { LinkClaims } from '../links/link-token.ts';

export interface Entry {
  kind: RoomKind;
  endsAt: Date;
}

/**
 * Whether a link may enter its consultation's room now, from the timetable in the
 * database: staff from the pre-check (T−30), clients from T, nobody past T+60 or
 * after cancellation; a revoked participant never.
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
    const staff = claims.role !== 'client';
    const a = admission({ start: c.start, state: c.state }, staff ? 'staff' : 'client', this.now());
    const status = a.ok ? 'open' : a.code === 'not_open_yet' ? 'upcoming' : a.code === 'cancelled' ? 'cancelled' : 'over';
    return {
      status,
      startsAt: c.start.toISOString(),
      opensAt: (staff ? precheckWindow(c.start).start : c.start).toISOString(),
      endsAt: hardLimit(c.start).toISOString(),
      timeZone: c.institution.timeZone,
    };
  }

  private async consultationOf(claims: LinkClaims) {
    const participant = await this.prisma.participant.findFirst({
      where: { id: claims.participantId, consultationId: claims.consultationId },
      select: {
        role: true,
        linkRevokedAt: true,
        consultation: { select: { start: true, state: true, kind: true, institution: { select: { timeZone: true } } } },
      },
    });
    // A link whose participant is unknown or revoked is as good as forged.
    if (!participant || participant.linkRevokedAt || !roleMatches(participant.role, claims.role)) {
      throw new ProtocolError('invalid_token', 'link is invalid or expired');
    }
    return participant.consultation;
  }

  async enter(claims: LinkClaims): Promise<Entry> {
    const c = await this.consultationOf(claims);
    if (c.kind !== 'one_to_one') throw new ProtocolError('forbidden', `${c.kind} rooms are not available yet`);
    const a = admission({ start: c.start, state: c.state }, claims.role === 'client' ? 'client' : 'staff', this.now());
    if (!a.ok) {
      if (a.code === 'not_open_yet') {
        throw new ProtocolError('not_open_yet', 'the room opens later', {
          opensAt: a.opensAt.toISOString(),
          startsAt: c.start.toISOString(),
        });
      }
      throw new ProtocolError(a.code, a.code === 'cancelled' ? 'the consultation was cancelled' : 'the consultation is over');
    }
    return { kind: 'one_to_one', endsAt: a.endsAt };
  }

  /** Records the first join; the first client turns an open consultation live. */
  async joined(claims: LinkClaims): Promise<void> {
    const at = this.now();
    await this.prisma.participant.updateMany({ where: { id: claims.participantId, joinedAt: null }, data: { joinedAt: at } });
    if (claims.role === 'client') {
      await this.prisma.consultation.updateMany({
        where: { id: claims.consultationId, state: { in: ['planned', 'precheck', 'open', 'no_show'] } },
        data: { state: 'live', version: { increment: 1 } },
      });
    }
  }

  async left(claims: LinkClaims): Promise<void> {
    await this.prisma.participant.updateMany({ where: { id: claims.participantId }, data: { leftAt: this.now() } });
  }
}

function roleMatches(dbRole: string, linkRole: RoomRole): boolean {
  return linkRole === 'client' ? dbRole === 'client' : dbRole !== 'client';
}
