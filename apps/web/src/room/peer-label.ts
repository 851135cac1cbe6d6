import type { TFunction } from 'i18next';
import type { PeerInfo } from '@dp/protocol';

/** Who a participant is, as the server tells it (a peer, a chat line's author, a status sentence's subject). */
export type Named = Pick<PeerInfo, 'label' | 'role'> & { number?: number | null | undefined };

/**
 * The name the UI shows for a participant: the server's label; where the server withholds
 * it (a webinar attendee seeing another attendee) «Участник N»; else the role («Специалист»).
 */
export function peerLabel(peer: Named, t: TFunction): string {
  const label = peer.label.trim();
  if (label) return label;
  if (peer.number != null) return t('room.participantNumber', { number: peer.number });
  return t(`room.roles.${peer.role}`);
}

/**
 * What the page writes beside a name: the role («Ведущий»), or for a webinar attendee its
 * «Участник N» — a host sees who is who behind the numbers the audience uses.
 */
export function roleLabel(peer: Named, t: TFunction): string {
  if (peer.number != null) return t('room.participantNumber', { number: peer.number });
  return t(`room.roles.${peer.role}`);
}

/** The parameters of a status sentence about a participant («{{label}} вошёл…»): StatusLine names it with peerLabel. */
export function namedParams(peer: Named): Record<string, string> {
  return { label: peer.label, role: peer.role, ...(peer.number != null ? { number: String(peer.number) } : {}) };
}
