import { describe, expect, it } from '@jest/globals';
import type { PeerInfo } from '@dp/protocol';
import { peerChangeStatus, remoteFromConsumers, remoteView, removePeer, upsertPeer, type ConsumerView } from './room-state.ts';

const peer = (over: Partial<PeerInfo> = {}): PeerInfo => ({
  id: 'p1',
  role: 'specialist',
  label: 'Специалист',
  mic: true,
  camera: true,
  audioOnly: false,
  ...over,
});

// Tracks are opaque to these functions: a tagged object stands in for MediaStreamTrack.
const track = (id: string) => ({ id }) as unknown as MediaStreamTrack;

describe('peer list', () => {
  it('adds, replaces in place and removes', () => {
    const a = upsertPeer([], peer());
    const b = upsertPeer(a, peer({ id: 'p2', role: 'client' }));
    const c = upsertPeer(b, peer({ mic: false }));
    expect(c.map((p) => [p.id, p.mic])).toEqual([
      ['p1', false],
      ['p2', true],
    ]);
    expect(removePeer(c, 'p1').map((p) => p.id)).toEqual(['p2']);
    expect(a).toHaveLength(1); // inputs are not mutated
  });
});

describe('peerChangeStatus', () => {
  it('announces the change that matters most, once', () => {
    expect(peerChangeStatus(undefined, peer())).toBeNull();
    expect(peerChangeStatus(peer(), peer())).toBeNull();
    expect(peerChangeStatus(peer(), peer({ audioOnly: true, camera: false }))).toEqual({ key: 'status.peerAudioOnlyOn' });
    expect(peerChangeStatus(peer({ audioOnly: true }), peer())).toEqual({ key: 'status.peerAudioOnlyOff' });
    expect(peerChangeStatus(peer(), peer({ camera: false }))).toEqual({ key: 'status.peerCameraOff' });
    expect(peerChangeStatus(peer(), peer({ mic: false }))).toEqual({ key: 'status.peerMicOff' });
    expect(peerChangeStatus(peer({ mic: false }), peer())).toEqual({ key: 'status.peerMicOn' });
  });
});

describe('remoteFromConsumers', () => {
  it('groups microphone and camera per peer and ignores screen video', () => {
    const views: ConsumerView[] = [
      { peerId: 'p1', kind: 'audio', source: 'mic', track: track('a1'), paused: false },
      { peerId: 'p1', kind: 'video', source: 'camera', track: track('v1'), paused: true },
      { peerId: 'p2', kind: 'video', source: 'screen', track: track('s2'), paused: false },
    ];
    const r = remoteFromConsumers(views);
    expect(r['p1']).toEqual({ audioTrack: track('a1'), videoTrack: track('v1'), videoPaused: true, audioPaused: false });
    expect(r['p2']).toEqual({ audioTrack: null, videoTrack: null, videoPaused: false, audioPaused: false });
  });
});

describe('remoteView', () => {
  const media = { audioTrack: track('a'), videoTrack: track('v'), videoPaused: false, audioPaused: false };
  it('waits when alone', () => {
    expect(remoteView(undefined, undefined, false)).toEqual({ kind: 'waiting' });
  });
  it('shows video only when the peer sends it and we receive it', () => {
    expect(remoteView(peer(), media, false)).toEqual({ kind: 'video' });
    expect(remoteView(peer({ audioOnly: true, camera: false }), media, false)).toEqual({ kind: 'placeholder', reason: 'peerAudioOnly' });
    expect(remoteView(peer(), media, true)).toEqual({ kind: 'placeholder', reason: 'selfAudioOnly' });
    expect(remoteView(peer({ camera: false }), media, false)).toEqual({ kind: 'placeholder', reason: 'cameraOff' });
    expect(remoteView(peer(), { ...media, videoPaused: true }, false)).toEqual({ kind: 'placeholder', reason: 'cameraOff' });
    expect(remoteView(peer(), { ...media, videoTrack: null }, false)).toEqual({ kind: 'placeholder', reason: 'videoLoading' });
  });
});
