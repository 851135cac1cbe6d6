import type { PrismaClient } from '@dp/db';
import type { ChatKind, ChatMessage, RoomRole } from '@dp/protocol';
import { endingEvent, isLead } from '@dp/protocol';
import { applyChosenEvent, applyEvent, dropIllegalTransition, LifecycleError, protocolErrorOf } from '../consultations/lifecycle-writer.ts';
import { isUniqueViolation } from '../api/errors.ts';

/** What a room writes into the consultation's record: stays in the room (visits), its chat, and its end. */
export interface RoomRecords {
  /**
   * The consultation is over: ended by a member of staff («Завершить консультацию»; the
   * participant who pressed it) or by the 60-minute limit (`null`). The lifecycle writer
   * records it (`endingEvent`: whether a client came decides the event). By staff, a step the
   * lifecycle refuses (it has not begun) throws a ProtocolError; at the limit a consultation
   * already over (ended, cancelled) is left as it is.
   */
  ended(by: 'staff' | 'limit', actorParticipantId: string | null): Promise<void>;
  /** The participant was let in (a resume within the grace continues the same stay). */
  entered(participantId: string, role: RoomRole): Promise<void>;
  /** The stay is over; `audioOnlyMs`: how much of it the participant spent audio only. */
  exited(participantId: string, audioOnlyMs: number): Promise<void>;
  /** A host removed the participant for good: its link is revoked. */
  removed(participantId: string): Promise<void>;
  /** A webinar attendee's «Участник N»: given on first call, the same ever after. */
  attendeeNumber(participantId: string): Promise<number>;
  chatHistory(): Promise<ChatMessage[]>;
  saveChat(m: {
    participantId: string;
    role: RoomRole;
    label: string;
    kind: ChatKind;
    text: string;
    url: string | null;
  }): Promise<ChatMessage>;
  /** Null when the message is not a question of this consultation. */
  markAnswered(messageId: string): Promise<ChatMessage | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The chat a participant sees on entering: the most recent lines. */
const CHAT_HISTORY = 200;

/** RoomRecords in PostgreSQL, for one consultation. */
export function prismaRoomRecords(prisma: PrismaClient, consultationId: string, now: () => Date = () => new Date()): RoomRecords {
  const select = {
    id: true,
    participantId: true,
    kind: true,
    body: true,
    url: true,
    answeredAt: true,
    createdAt: true,
    participant: { select: { role: true, displayName: true, attendeeNumber: true, staffUser: { select: { displayName: true } } } },
  } as const;
  type Row = {
    id: string;
    participantId: string;
    kind: ChatKind;
    body: string;
    url: string | null;
    answeredAt: Date | null;
    createdAt: Date;
    participant: { role: RoomRole; displayName: string | null; attendeeNumber: number | null; staffUser: { displayName: string } | null };
  };
  const toMessage = (r: Row): ChatMessage => ({
    id: r.id,
    peerId: r.participantId,
    role: r.participant.role,
    label: labelOf(r.participant),
    number: r.participant.attendeeNumber,
    kind: r.kind,
    text: r.body,
    url: r.url,
    answered: r.answeredAt !== null,
    at: r.createdAt.toISOString(),
  });

  return {
    async ended(by, actorParticipantId) {
      if (!UUID.test(consultationId)) return; // a room without a consultation (tests, benchmarks): nothing to record
      const at = now();
      const actor = actorParticipantId
        ? await prisma.participant.findFirst({ where: { id: actorParticipantId, consultationId }, select: { staffUserId: true } })
        : null;
      try {
        // Whether a client came decides the event (live → ended; nobody → no_show), chosen
        // under the row's lock, so a client who comes in a moment before is counted.
        await applyChosenEvent(prisma, consultationId, (state) => endingEvent(state, by), { actorId: actor?.staffUserId ?? null, at });
      } catch (e) {
        if (!(e instanceof LifecycleError)) throw e;
        if (by === 'staff') throw protocolErrorOf(e);
      }
    },
    async entered(participantId, role) {
      const at = now();
      await prisma.$transaction(async (tx) => {
        await tx.roomVisit.create({ data: { consultationId, participantId, joinedAt: at } });
        await tx.participant.updateMany({ where: { id: participantId, joinedAt: null }, data: { joinedAt: at } });
        // The first client or attendee turns the consultation live (a late one after the
        // no-show mark too); a repeat join or a resume finds it live already, which the table
        // refuses and which is no news.
        if (!isLead(role)) await applyEvent(tx, consultationId, 'client_joined', { actorId: null, at }).catch(dropIllegalTransition);
      });
    },
    async exited(participantId, audioOnlyMs) {
      const at = now();
      await prisma.$transaction(async (tx) => {
        // The room counts audio-only time on its own clock readings, a millisecond or two apart
        // from this stay's stored times: never more than the stored stay itself.
        const open = await tx.roomVisit.findMany({
          where: { consultationId, participantId, leftAt: null },
          select: { id: true, joinedAt: true },
        });
        for (const visit of open) {
          const stay = Math.max(0, at.getTime() - visit.joinedAt.getTime());
          await tx.roomVisit.update({
            where: { id: visit.id },
            data: { leftAt: at, audioOnlyMs: Math.min(Math.round(audioOnlyMs), stay, 2 ** 31 - 1) },
          });
        }
        await tx.participant.updateMany({ where: { id: participantId }, data: { leftAt: at } });
      });
    },
    async removed(participantId) {
      await prisma.participant.updateMany({
        where: { id: participantId, consultationId, linkRevokedAt: null },
        data: { linkRevokedAt: now() },
      });
    },
    async attendeeNumber(participantId) {
      // max + 1 in one statement. The room asks one at a time; should two instances number
      // the same consultation at once, the unique index (consultation_id, attendee_number)
      // refuses the second, which reads the new max and tries again.
      for (let attempt = 0; ; attempt++) {
        const row = await prisma.participant.findFirst({ where: { id: participantId, consultationId }, select: { attendeeNumber: true } });
        if (!row) throw new Error('no such participant');
        if (row.attendeeNumber !== null) return row.attendeeNumber;
        try {
          await prisma.$executeRaw`
            UPDATE participants
               SET attendee_number = (SELECT COALESCE(MAX(attendee_number), 0) + 1 FROM participants WHERE consultation_id = ${consultationId}::uuid)
             WHERE id = ${participantId}::uuid AND consultation_id = ${consultationId}::uuid AND attendee_number IS NULL`;
        } catch (e) {
          if (attempt >= 10 || !isUniqueViolation(e)) throw e;
        }
      }
    },
    async chatHistory() {
      const rows = await prisma.roomMessage.findMany({
        where: { consultationId },
        orderBy: { createdAt: 'desc' },
        take: CHAT_HISTORY,
        select,
      });
      return (rows as Row[]).reverse().map(toMessage);
    },
    async saveChat(m) {
      const row = await prisma.roomMessage.create({
        data: { consultationId, participantId: m.participantId, kind: m.kind, body: m.text, url: m.url },
        select,
      });
      return toMessage(row as Row);
    },
    async markAnswered(messageId) {
      if (!UUID.test(messageId)) return null; // not an id of ours: never send it to the database
      await prisma.roomMessage.updateMany({
        where: { id: messageId, consultationId, kind: 'question', answeredAt: null },
        data: { answeredAt: now() },
      });
      const row = await prisma.roomMessage.findFirst({ where: { id: messageId, consultationId, kind: 'question' }, select });
      return row ? toMessage(row as Row) : null;
    },
  };
}

/** What others see of a participant: staff by name, a client by the name they gave, or nothing (anonymous). */
export function labelOf(p: { displayName: string | null; staffUser: { displayName: string } | null }): string {
  return (p.staffUser?.displayName ?? p.displayName ?? '').slice(0, 120);
}
