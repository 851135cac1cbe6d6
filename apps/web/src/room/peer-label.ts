import type { TFunction } from 'i18next';
import type { PeerInfo } from '@dp/protocol';

/** The name the UI shows for a participant: the server's label, else the role («Специалист»). */
export function peerLabel(peer: Pick<PeerInfo, 'label' | 'role'>, t: TFunction): string {
  return peer.label.trim() || t(`room.roles.${peer.role}`);
}
