import type { RequestResult, RtpCapabilities } from '@dp/protocol';
import type { Peer, PeerChannel } from './peer.ts';
import type { RoomCore } from './room-core.ts';
import type { RoomMedia } from './room-media.ts';

/**
 * The same page back within the grace, on the transports it still holds (its socket dropped:
 * a blackhole, a new IP address): the SFU gives both new ICE credentials and the page restarts
 * ICE in place. The peer keeps its place, floor, producers and consumers — no waiting room, no
 * new stay. Null when that is not possible (not let in, other transports, gone at the SFU):
 * then the join goes on as a fresh one.
 */
export async function resumeOnTransports(
  core: RoomCore,
  media: RoomMedia,
  peer: Peer,
  channel: PeerChannel,
  ids: { send: string; recv: string },
  rtpCapabilities: RtpCapabilities | undefined,
  stopAwayTimer: () => void,
): Promise<{ transports: RequestResult<'join'>['transports']; held: NonNullable<RequestResult<'join'>['resumed']> } | null> {
  const options = peer.transportOptions;
  if (core.present.get(peer.id) !== peer || !options || peer.sendTransportId !== ids.send || peer.recvTransportId !== ids.recv) return null;
  let ice;
  try {
    ice = await Promise.all([media.restartIce(peer, ids.send), media.restartIce(peer, ids.recv)]);
  } catch {
    return null; // the SFU no longer has them (its node restarted): a fresh join
  }
  if (core.present.get(peer.id) !== peer) return null;
  peer.channel = channel;
  peer.away = false;
  peer.linkDown.clear();
  if (rtpCapabilities) peer.rtpCapabilities = rtpCapabilities;
  stopAwayTimer();
  core.announce(peer, peer.floor);
  core.log.info({ peerId: peer.id }, 'peer resumed on its transports');
  const paused = new Map<string, boolean>();
  for (const other of core.present.values()) for (const p of other.producers.values()) paused.set(p.id, p.paused);
  return {
    transports: {
      send: { ...options.send, iceParameters: ice[0].iceParameters },
      recv: { ...options.recv, iceParameters: ice[1].iceParameters },
    },
    held: {
      consumers: [...peer.consumers.values()]
        .filter((c) => c.accepted)
        .map((c) => ({ id: c.id, paused: paused.get(c.producerId) ?? false })),
      producers: [...peer.producers.keys()],
    },
  };
}
