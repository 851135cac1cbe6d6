import type { RoomClosedReason, RoomKind } from '@dp/protocol';
import type { Logger } from 'pino';
import type { SfuClient } from '../sfu/sfu-client.ts';
import { Room } from './room.ts';

/** The open rooms of this signalling process, and the routing of SFU events to them. */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly sfu: SfuClient;
  private readonly log: Logger;
  /** Told when a room closes, and why (the timetable records a consultation that hit its limit). */
  onRoomClosed: ((roomId: string, reason: RoomClosedReason) => void) | undefined;

  constructor(sfu: SfuClient, log: Logger) {
    this.sfu = sfu;
    this.log = log;
    sfu.on('consumerClosed', (e) => this.rooms.get(e.roomId)?.onConsumerClosed(e.peerId, e.consumerId));
    sfu.on('consumerPaused', (e) => this.rooms.get(e.roomId)?.onConsumerPaused(e.peerId, e.consumerId, e.paused));
    sfu.on('routerClosed', (e) => this.rooms.get(e.roomId)?.mediaLost(e.reason));
    sfu.on('disconnected', () => {
      for (const room of [...this.rooms.values()]) room.mediaLost('sfu_disconnected');
    });
  }

  getOrCreate(id: string, kind: RoomKind, endsAt: Date | null = null): Room {
    let room = this.rooms.get(id);
    if (!room) {
      room = new Room(
        id,
        kind,
        this.sfu,
        this.log,
        (r, reason) => {
          if (this.rooms.get(r.id) === r) this.rooms.delete(r.id);
          if (reason) this.onRoomClosed?.(r.id, reason);
        },
        endsAt,
      );
      this.rooms.set(id, room);
    }
    return room;
  }

  get(id: string): Room | undefined {
    return this.rooms.get(id);
  }

  get size(): number {
    return this.rooms.size;
  }

  async closeAll(reason: 'server_shutdown'): Promise<void> {
    await Promise.all([...this.rooms.values()].map((r) => r.close(reason)));
  }
}
