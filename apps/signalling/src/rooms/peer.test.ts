import { describe, expect, it } from '@jest/globals';
import { Peer, type PeerChannel } from './peer.ts';

const channel: PeerChannel = { emit: () => undefined, offerConsumer: async () => true };

describe('Peer state', () => {
  it('derives mic and camera from its live, unpaused producers', () => {
    const p = new Peer('p1', 'client', '', channel);
    expect(p.info()).toEqual({
      id: 'p1',
      role: 'client',
      label: '',
      number: null,
      mic: false,
      camera: false,
      screen: false,
      audioOnly: false,
      floor: 'full',
      hand: false,
      away: false,
    });
    p.producers.set('a', { id: 'a', kind: 'audio', source: 'mic', paused: false });
    p.producers.set('v', { id: 'v', kind: 'video', source: 'camera', paused: true });
    expect(p.info()).toMatchObject({ mic: true, camera: false });
    p.producers.get('v')!.paused = false;
    p.audioOnly = true;
    expect(p.info()).toMatchObject({ mic: true, camera: true, audioOnly: true });
  });

  it('starts attendees and curators without the floor, and carries floor and hand over a resume', () => {
    expect(new Peer('a', 'attendee', '', channel).info().floor).toBe('none');
    expect(new Peer('c', 'curator', '', channel).info().floor).toBe('none');
    expect(new Peer('h', 'host', '', channel).info().floor).toBe('full');
    const resumed = new Peer('a', 'attendee', '', channel, { floor: 'mic', hand: true, nameShown: true }, 3);
    expect(resumed.info()).toMatchObject({ floor: 'mic', hand: true, number: 3 });
    expect(resumed.nameShown).toBe(true);
  });

  it('owns exactly its two transports', () => {
    const p = new Peer('p1', 'specialist', 'Иванова А. А.', channel);
    expect(p.ownsTransport('t-send')).toBe(false);
    p.sendTransportId = 't-send';
    p.recvTransportId = 't-recv';
    expect(p.ownsTransport('t-send')).toBe(true);
    expect(p.ownsTransport('t-recv')).toBe(true);
    expect(p.ownsTransport('t-other')).toBe(false);
  });
});
