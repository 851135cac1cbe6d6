import { describe, expect, it } from '@jest/globals';
import { Peer, type PeerChannel } from './peer.ts';

const channel: PeerChannel = { emit: () => undefined, offerConsumer: async () => true };

describe('Peer state', () => {
  it('derives mic and camera from its live, unpaused producers', () => {
    const p = new Peer('p1', 'client', channel);
    expect(p.info()).toEqual({ id: 'p1', role: 'client', label: '', mic: false, camera: false, audioOnly: false });
    p.producers.set('a', { id: 'a', kind: 'audio', source: 'mic', paused: false });
    p.producers.set('v', { id: 'v', kind: 'video', source: 'camera', paused: true });
    expect(p.info()).toMatchObject({ mic: true, camera: false });
    p.producers.get('v')!.paused = false;
    p.audioOnly = true;
    expect(p.info()).toMatchObject({ mic: true, camera: true, audioOnly: true });
  });

  it('owns exactly its two transports', () => {
    const p = new Peer('p1', 'specialist', channel);
    expect(p.ownsTransport('t-send')).toBe(false);
    p.sendTransportId = 't-send';
    p.recvTransportId = 't-recv';
    expect(p.ownsTransport('t-send')).toBe(true);
    expect(p.ownsTransport('t-recv')).toBe(true);
    expect(p.ownsTransport('t-other')).toBe(false);
  });
});
