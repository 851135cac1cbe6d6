// What each role may do inside a room, by kind of room. The permission matrix
// (permissions.ts) decides who may be in a room and send an event at all; this table
// decides what that participant's role in this consultation lets it do there. The server
// (apps/signalling/src/rooms/: room.ts and its parts) is the only enforcer; the web app reads the same
// table only to decide which buttons to show.

import type { MediaSource } from './media.ts';

/** A participant's role in one consultation (the `participants.role` column). */
export const roomRoles = ['specialist', 'client', 'host', 'cohost', 'attendee', 'curator'] as const;
export type RoomRoleName = (typeof roomRoles)[number];

export const roomKinds = ['one_to_one', 'webinar', 'dyad'] as const;
export type RoomKindName = (typeof roomKinds)[number];

/**
 * What a participant may send right now. `none`: nothing (a webinar attendee without the
 * floor, a curator observing); `mic`: the microphone only; `full`: microphone and camera.
 */
export type Floor = 'none' | 'mic' | 'full';

export type RoomPower =
  /** Admit or decline a client from the waiting room. */
  | 'admit'
  /** Mute others, give and take the floor, remove attendees. */
  | 'moderate'
  | 'raise_hand'
  /** A curator turns their own microphone and camera on (and off again). */
  | 'step_in'
  | 'share_screen'
  /** Links and documents given in the chat (they go into the protocol's «materials»). */
  | 'post_material'
  | 'mark_answered'
  /** «Завершить консультацию»: close the room for everyone and record the end. */
  | 'end';

/** Which roles each kind of room has. A participant of another role cannot enter. */
export const rolesOfKind: Record<RoomKindName, readonly RoomRoleName[]> = {
  one_to_one: ['specialist', 'client'],
  webinar: ['host', 'cohost', 'attendee'],
  dyad: ['client', 'curator'],
};

// Ending is the lead's: the specialist, the webinar's host (not a co-host) and the dyad's curator.
const powers: Record<RoomRoleName, readonly RoomPower[]> = {
  specialist: ['admit', 'share_screen', 'post_material', 'end'],
  client: [],
  host: ['moderate', 'share_screen', 'post_material', 'mark_answered', 'end'],
  cohost: ['moderate', 'share_screen', 'post_material', 'mark_answered'],
  attendee: ['raise_hand'],
  curator: ['admit', 'step_in', 'post_material', 'end'],
};

export function hasPower(role: RoomRoleName, power: RoomPower): boolean {
  return powers[role].includes(power);
}

/** Staff who lead the room (shown first, and they see everyone). */
export function isLead(role: RoomRoleName): boolean {
  return role === 'specialist' || role === 'host' || role === 'cohost' || role === 'curator';
}

/**
 * The floor a role has on entering: attendees and curators start silent — except the
 * attendees of a group consultation (`openFloor`), where every family may speak without
 * raising a hand.
 */
export function initialFloor(role: RoomRoleName, openFloor = false): Floor {
  if (role === 'attendee') return openFloor ? 'full' : 'none';
  return role === 'curator' ? 'none' : 'full';
}

/** Clients of a one-to-one or a dyad wait until the specialist or curator admits them. */
export function waitsForAdmission(kind: RoomKindName, role: RoomRoleName): boolean {
  return role === 'client' && (kind === 'one_to_one' || kind === 'dyad');
}

/** Whether a participant with this role and floor may send media from `source`. */
export function mayProduce(role: RoomRoleName, floor: Floor, source: MediaSource): boolean {
  if (source === 'screen') return hasPower(role, 'share_screen');
  if (source === 'mic') return floor !== 'none';
  return floor === 'full';
}

/**
 * Whether `viewer` is told about `peer` at all. In a webinar attendees see the hosts and
 * whoever has the floor, not each other (least data: other families' names stay private);
 * everywhere else everyone sees everyone — a curator is never hidden from a dyad's clients.
 */
export function sees(kind: RoomKindName, viewer: RoomRoleName, peer: { role: RoomRoleName; floor: Floor }): boolean {
  if (kind !== 'webinar' || viewer !== 'attendee') return true;
  return peer.role !== 'attendee' || peer.floor !== 'none';
}

/**
 * Whether names between these two roles are withheld: in a webinar an attendee knows the
 * other attendees only as «Участник N» (other families' names stay private — in the chat,
 * the questions and on the stage alike). Hosts and co-hosts see every name, and everyone is
 * seen by name by the attendees; a one-to-one's or a dyad's participants know whom they talk to.
 */
export function namesHidden(kind: RoomKindName, viewer: RoomRoleName, subject: RoomRoleName): boolean {
  return kind === 'webinar' && viewer === 'attendee' && subject === 'attendee';
}

/**
 * Whether `viewer` is told the name of another participant `peer` (everyone knows their own).
 * An attendee with the floor stays «Участник N» to the other attendees unless the host,
 * giving the floor, chose to show the name (`nameShown`); the chat never shows it (docs/security.md).
 */
export function seesName(
  kind: RoomKindName,
  viewer: RoomRoleName,
  peer: { role: RoomRoleName; floor: Floor; nameShown: boolean },
): boolean {
  return !namesHidden(kind, viewer, peer.role) || (peer.floor !== 'none' && peer.nameShown);
}

/** Whether a moderator may show an attendee's name to the other attendees when giving it the floor. */
export function mayShowName(kind: RoomKindName, actor: RoomRoleName, target: RoomRoleName): boolean {
  return kind === 'webinar' && mayModerate(actor, target, 'floor');
}

/** Whom a moderator may mute, give the floor to, or remove: a cohost never acts on a host. */
export function mayModerate(actor: RoomRoleName, target: RoomRoleName, action: 'mute' | 'floor' | 'remove'): boolean {
  if (!hasPower(actor, 'moderate')) return false;
  if (action === 'floor' || action === 'remove') return target === 'attendee';
  return actor === 'host' || target !== 'host';
}

/**
 * How long a participant who lost the connection keeps their place, role, floor and media on
 * the SFU. A rural link that drops for 45 s must find its place again: the server notices a
 * silent socket only after socket.io's ping interval + timeout (up to 20 s) — often at once,
 * when the TCP connection resets — and the page redials every ≤ 2 s once the link is back, so
 * 45 s of silence + one redial + the resume join fit in 60 s with margin.
 */
export const RESUME_GRACE_MS = 60_000;

/** The role the n-th listed specialist of a consultation gets: a webinar's first hosts it, the others co-host. */
export function staffRoleIn(kind: RoomKindName, index: number): RoomRoleName {
  if (kind === 'webinar') return index === 0 ? 'host' : 'cohost';
  return kind === 'dyad' ? 'curator' : 'specialist';
}

/** The role a consultation's clients get: a webinar's watch and listen, a dyad's talk to each other. */
export function clientRoleIn(kind: RoomKindName): RoomRoleName {
  return kind === 'webinar' ? 'attendee' : 'client';
}
