import { mayProduce, type Floor, type RoomRole } from '@dp/protocol';

/** What this participant may send now (room-policy.ts), as the client plans its producers and buttons. */
export function mediaPlan(role: RoomRole, floor: Floor): { mic: boolean; camera: boolean; screen: boolean } {
  return { mic: mayProduce(role, floor, 'mic'), camera: mayProduce(role, floor, 'camera'), screen: mayProduce(role, floor, 'screen') };
}
