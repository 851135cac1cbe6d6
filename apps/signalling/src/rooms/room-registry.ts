import type { PrismaClient } from '@dp/db';
import { RESUME_GRACE_MS, type RoomKind } from '@dp/protocol';
import type { Logger } from 'pino';
import type { SfuClient } from '../sfu/sfu-client.ts';
import { Room, type RoomHandover } from './room.ts';
import type { Clock } from './clock.ts';
import type { RoomRecords } from './room-store.ts';

/** The open rooms of this signalling process, and the routing of SFU events to them. */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  /** Rooms that lost their media: who was in them, for the room that replaces each. */
  private readonly handovers = new Map<string, RoomHandover>();
  private readonly sfu: SfuClient;
  private readonly log: Logger;
  private readonly recordsFor: (consultationId: string) => RoomRecords;
  private readonly resumeGraceMs: number | undefined;
  /** The server's business clock (clock/server-clock.ts); absent: the system clock. */
  private readonly clock: Clock | undefined;

  constructor(sfu: SfuClient, log: Logger, recordsFor: (consultationId: string) => RoomRecords, resumeGraceMs?: number, clock?: Clock) {
    this.sfu = sfu;
    this.clock = clock;
    this.log = log;
    this.recordsFor = recordsFor;
    this.resumeGraceMs = resumeGraceMs;
    sfu.on('consumerClosed', (e) => this.rooms.get(e.roomId)?.media.onConsumerClosed(e.peerId, e.consumerId));
    sfu.on('consumerPaused', (e) => this.rooms.get(e.roomId)?.media.onConsumerPaused(e.peerId, e.consumerId, e.paused));
    sfu.on('consumerLayers', (e) => this.rooms.get(e.roomId)?.media.onConsumerLayers(e.peerId, e.consumerId, e.spatial));
    sfu.on('transportLink', (e) => this.rooms.get(e.roomId)?.linkChanged(e.peerId, e.transportId, e.up));
    sfu.on('routerClosed', (e) => this.mediaLost(this.rooms.get(e.roomId), e.reason));
    sfu.on('disconnected', () => {
      for (const room of [...this.rooms.values()]) this.mediaLost(room, 'sfu_disconnected');
    });
  }

  private mediaLost(room: Room | undefined, reason: 'worker_died' | 'sfu_disconnected'): void {
    const handover = room?.mediaLost(reason);
    if (!room || !handover) return;
    this.handovers.set(room.id, handover);
    // Kept only as long as it can matter: the resume grace.
    setTimeout(
      () => this.handovers.get(room.id) === handover && this.handovers.delete(room.id),
      this.resumeGraceMs ?? RESUME_GRACE_MS,
    ).unref();
  }

  /** The open room of a consultation, or a new one with its limit (`endsAt`, the hard cap) and booked end. */
  getOrCreate(id: string, kind: RoomKind, endsAt: Date | null = null, bookedEndsAt: Date | null = null, openFloor = false): Room {
    let room = this.rooms.get(id);
    if (!room) {
      const handover = this.handovers.get(id);
      this.handovers.delete(id);
      room = new Room({
        ...(handover ? { handover } : {}),
        id,
        kind,
        openFloor,
        sfu: this.sfu,
        log: this.log,
        records: this.recordsFor(id),
        endsAt,
        bookedEndsAt,
        ...(this.resumeGraceMs !== undefined ? { resumeGraceMs: this.resumeGraceMs } : {}),
        ...(this.clock ? { clock: this.clock } : {}),
        // A room at its limit records the end itself (RoomRecords.ended), like one ended by staff.
        onClosed: (r) => {
          if (this.rooms.get(r.id) === r) this.rooms.delete(r.id);
        },
      });
      this.rooms.set(id, room);
    }
    return room;
  }

  list(): Room[] {
    return [...this.rooms.values()];
  }

  get(id: string): Room | undefined {
    return this.rooms.get(id);
  }

  get size(): number {
    return this.rooms.size;
  }

  /**
   * A member of staff lost the standing that let them in (deactivated, role changed, sessions
   * ended): each of their peers in this process's open rooms leaves now, not at their next
   * event. Their ended session keeps them from joining again. Returns how many were taken out.
   */
  async takeOutStaff(staffUserId: string, db: Pick<PrismaClient, 'participant'>): Promise<number> {
    const open = [...this.rooms.keys()].filter((id) => UUID.test(id));
    if (open.length === 0) return 0;
    const seats = await db.participant.findMany({
      where: { staffUserId, consultationId: { in: open } },
      select: { id: true, consultationId: true },
    });
    let n = 0;
    for (const seat of seats) if (await this.rooms.get(seat.consultationId)?.takeOutParticipant(seat.id, 'access_ended')) n++;
    if (n > 0) this.log.info({ peers: n }, 'staff peers taken out: account deactivated, role changed or sessions ended');
    return n;
  }

  async closeAll(reason: 'server_shutdown'): Promise<void> {
    await Promise.all([...this.rooms.values()].map((r) => r.close(reason)));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
