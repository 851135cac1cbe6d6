import { describe, expect, it } from '@jest/globals';
import type { ChatMessage, PeerInfo } from '@dp/protocol';
import {
  appendChat,
  CHAT_KEEP,
  curatorState,
  materialsOf,
  minutesWaiting,
  newWaiters,
  orderParticipants,
  peerChangeStatus,
  questionsOf,
  remoteFromConsumers,
  remoteView,
  removePeer,
  selfChangeStatus,
  stagePlan,
  updateChat,
  upsertPeer,
  type ConsumerView,
  type RemoteMedia,
} from './room-state.ts';
import { mediaPlan } from './media-plan.ts';

const peer = (over: Partial<PeerInfo> = {}): PeerInfo => ({
  id: 'p1',
  role: 'specialist',
  label: 'Специалист',
  number: null,
  mic: true,
  camera: true,
  screen: false,
  audioOnly: false,
  floor: 'full',
  hand: false,
  away: false,
  ...over,
});

// Tracks are opaque to these functions: a tagged object stands in for MediaStreamTrack.
const track = (id: string) => ({ id }) as unknown as MediaStreamTrack;

const media = (over: Partial<RemoteMedia> = {}): RemoteMedia => ({
  audioTrack: track('a'),
  videoTrack: track('v'),
  videoPaused: false,
  videoLayer: undefined,
  audioPaused: false,
  screenTrack: null,
  screenPaused: false,
  ...over,
});

const msg = (id: string, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  peerId: 'p1',
  role: 'host',
  label: 'Ведущий',
  number: null,
  kind: 'message',
  text: `text ${id}`,
  url: null,
  answered: false,
  at: `2026-11-25T10:00:0${id.slice(-1)}.000Z`,
  ...over,
});

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

  it('says when someone drops and comes back, raises a hand, gets the floor, shares a screen', () => {
    expect(peerChangeStatus(peer(), peer({ away: true, mic: false, camera: false }))).toEqual({ key: 'status.peerAway' });
    expect(peerChangeStatus(peer({ away: true }), peer())).toEqual({ key: 'status.peerBack' });
    const attendee = peer({ role: 'attendee', floor: 'none', mic: false, camera: false });
    expect(peerChangeStatus(attendee, { ...attendee, hand: true })).toEqual({ key: 'status.peerHandRaised' });
    expect(peerChangeStatus({ ...attendee, hand: true }, attendee)).toBeNull(); // lowering is not news
    expect(peerChangeStatus(attendee, { ...attendee, floor: 'mic' })).toEqual({ key: 'status.peerFloorGranted' });
    expect(peerChangeStatus({ ...attendee, floor: 'full' }, attendee)).toEqual({ key: 'status.peerFloorRevoked' });
    expect(peerChangeStatus(peer(), peer({ screen: true }))).toEqual({ key: 'status.peerScreenOn' });
  });

  it('names a curator stepping in and out', () => {
    const curator = peer({ role: 'curator', floor: 'none', mic: false, camera: false });
    expect(peerChangeStatus(curator, { ...curator, floor: 'full' })).toEqual({ key: 'status.curatorSteppedIn' });
    expect(peerChangeStatus({ ...curator, floor: 'full' }, curator)).toEqual({ key: 'status.curatorObserving' });
  });
});

describe('selfChangeStatus', () => {
  const me = peer({ role: 'attendee', floor: 'none', mic: false, camera: false });
  it('tells an attendee that it got or lost the floor, and about its hand', () => {
    expect(selfChangeStatus(null, me)).toBeNull();
    expect(selfChangeStatus(me, { ...me, floor: 'mic' })).toEqual({ key: 'status.selfFloorMic' });
    expect(selfChangeStatus({ ...me, hand: true }, { ...me, floor: 'full' })).toEqual({ key: 'status.selfFloorFull' });
    expect(selfChangeStatus({ ...me, floor: 'mic' }, me)).toEqual({ key: 'status.selfFloorRevoked' });
    expect(selfChangeStatus(me, { ...me, hand: true })).toEqual({ key: 'status.selfHandRaised' });
    expect(selfChangeStatus({ ...me, hand: true }, me)).toEqual({ key: 'status.selfHandLowered' });
    expect(selfChangeStatus(me, { ...me, mic: true })).toBeNull();
  });
  it('tells a curator it stepped in or out', () => {
    const curator = peer({ role: 'curator', floor: 'none' });
    expect(selfChangeStatus(curator, { ...curator, floor: 'full' })).toEqual({ key: 'status.selfSteppedIn' });
    expect(selfChangeStatus({ ...curator, floor: 'full' }, curator)).toEqual({ key: 'status.selfSteppedOut' });
  });
});

describe('mediaPlan', () => {
  it('follows the room policy', () => {
    expect(mediaPlan('specialist', 'full')).toEqual({ mic: true, camera: true, screen: true });
    expect(mediaPlan('client', 'full')).toEqual({ mic: true, camera: true, screen: false });
    expect(mediaPlan('attendee', 'none')).toEqual({ mic: false, camera: false, screen: false });
    expect(mediaPlan('attendee', 'mic')).toEqual({ mic: true, camera: false, screen: false });
    expect(mediaPlan('attendee', 'full')).toEqual({ mic: true, camera: true, screen: false });
    expect(mediaPlan('curator', 'none')).toEqual({ mic: false, camera: false, screen: false });
    expect(mediaPlan('host', 'full').screen).toBe(true);
  });
});

describe('remoteFromConsumers', () => {
  it('groups microphone, camera and shared screen per peer', () => {
    const views: ConsumerView[] = [
      { peerId: 'p1', kind: 'audio', source: 'mic', track: track('a1'), paused: false },
      { peerId: 'p1', kind: 'video', source: 'camera', track: track('v1'), paused: true },
      { peerId: 'p2', kind: 'video', source: 'screen', track: track('s2'), paused: false },
    ];
    const r = remoteFromConsumers(views);
    expect(r['p1']).toEqual(media({ audioTrack: track('a1'), videoTrack: track('v1'), videoPaused: true }));
    expect(r['p2']).toEqual(media({ audioTrack: null, videoTrack: null, screenTrack: track('s2') }));
  });
});

describe('remoteView', () => {
  it('waits when alone', () => {
    expect(remoteView(undefined, undefined, false)).toEqual({ kind: 'waiting' });
  });
  it('shows video only when the peer sends it and we receive it', () => {
    expect(remoteView(peer(), media(), false)).toEqual({ kind: 'video' });
    expect(remoteView(peer({ audioOnly: true, camera: false }), media(), false)).toEqual({ kind: 'placeholder', reason: 'peerAudioOnly' });
    expect(remoteView(peer(), media(), true)).toEqual({ kind: 'placeholder', reason: 'selfAudioOnly' });
    expect(remoteView(peer({ camera: false }), media(), false)).toEqual({ kind: 'placeholder', reason: 'cameraOff' });
    expect(remoteView(peer(), media({ videoPaused: true }), false)).toEqual({ kind: 'placeholder', reason: 'cameraOff' });
    expect(remoteView(peer(), media({ videoTrack: null }), false)).toEqual({ kind: 'placeholder', reason: 'videoLoading' });
  });
  it('shows a peer who lost its connection as reconnecting, before anything else', () => {
    expect(remoteView(peer({ away: true, audioOnly: true }), media(), true)).toEqual({ kind: 'placeholder', reason: 'peerAway' });
  });
});

describe('chat', () => {
  it('adds each message once, in the server order, and keeps a bounded history', () => {
    let chat = appendChat([], msg('m1'));
    chat = appendChat(chat, msg('m3'));
    chat = appendChat(chat, msg('m2')); // overtaken by m3 on the way
    chat = appendChat(chat, msg('m2'));
    expect(chat.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    let long: ChatMessage[] = [];
    for (let i = 0; i < CHAT_KEEP + 5; i++) long = appendChat(long, msg(`x${i}`, { at: new Date(i * 1000).toISOString() }));
    expect(long).toHaveLength(CHAT_KEEP);
    expect(long[0]!.id).toBe('x5');
  });

  it('replaces a message marked answered; lists open questions first and materials apart', () => {
    const q1 = msg('m1', { kind: 'question', role: 'attendee' });
    const q2 = msg('m2', { kind: 'question', role: 'attendee' });
    const link = msg('m3', { kind: 'material', url: 'https://example.org/a.pdf' });
    let chat = [q1, q2, link, msg('m4')];
    chat = updateChat(chat, { ...q1, answered: true });
    expect(chat[0]!.answered).toBe(true);
    expect(questionsOf(chat).map((m) => [m.id, m.answered])).toEqual([
      ['m2', false],
      ['m1', true],
    ]);
    expect(materialsOf(chat).map((m) => m.id)).toEqual(['m3']);
    expect(updateChat([], q1)).toEqual([q1]);
  });
});

describe('orderParticipants', () => {
  it('puts those who lead first, then raised hands, then speakers, then the rest by name', () => {
    const list = orderParticipants([
      peer({ id: 'z', role: 'attendee', label: 'Яковлев', floor: 'none' }),
      peer({ id: 'b', role: 'attendee', label: 'Борисова', floor: 'none' }),
      peer({ id: 'h', role: 'attendee', label: 'Юдина', floor: 'none', hand: true }),
      peer({ id: 's', role: 'attendee', label: 'Щукин', floor: 'mic' }),
      peer({ id: 'c', role: 'cohost', label: 'Соведущая' }),
      peer({ id: 'host', role: 'host', label: 'Ведущая' }),
    ]);
    expect(list.map((p) => p.id)).toEqual(['host', 'c', 'h', 's', 'b', 'z']);
  });
});

describe('stagePlan', () => {
  it('one-to-one: the other person', () => {
    expect(stagePlan('one_to_one', [peer({ id: 'c', role: 'client' })], {})).toEqual({ screen: null, tiles: ['c'] });
  });

  it('webinar: hosts and speakers on the stage, never the silent audience; a shared screen large', () => {
    const peers = [
      peer({ id: 'a1', role: 'attendee', floor: 'none' }),
      peer({ id: 'a2', role: 'attendee', floor: 'mic' }),
      peer({ id: 'co', role: 'cohost' }),
      peer({ id: 'h', role: 'host', screen: true }),
    ];
    expect(stagePlan('webinar', peers, {})).toEqual({ screen: null, tiles: ['h', 'co', 'a2'] });
    // The screen shows once its consumer is there.
    expect(stagePlan('webinar', peers, { h: media({ screenTrack: track('s') }) }).screen).toBe('h');
  });

  it('dyad: the curator has a tile only while it takes part', () => {
    const peers = [peer({ id: 'k', role: 'curator', floor: 'none' }), peer({ id: 'c2', role: 'client' })];
    expect(stagePlan('dyad', peers, {}).tiles).toEqual(['c2']);
    expect(stagePlan('dyad', [{ ...peers[0]!, floor: 'full' }, peers[1]!], {}).tiles).toEqual(['c2', 'k']);
  });
});

describe('curatorState', () => {
  it('is absent, observing or speaking', () => {
    expect(curatorState([peer({ role: 'client' })])).toBe('absent');
    expect(curatorState([peer({ role: 'curator', floor: 'none' })])).toBe('observing');
    expect(curatorState([peer({ role: 'curator', floor: 'full' })])).toBe('speaking');
  });
});

describe('waiting room', () => {
  it('finds who started waiting since the last list', () => {
    const a = { id: 'a', label: 'А', since: '2026-11-25T10:00:00.000Z' };
    const b = { id: 'b', label: '', since: '2026-11-25T10:01:00.000Z' };
    expect(newWaiters([], [a])).toEqual([a]);
    expect(newWaiters([a], [a, b])).toEqual([b]);
    expect(newWaiters([a, b], [b])).toEqual([]);
  });
  it('counts whole minutes of waiting', () => {
    const since = '2026-11-25T10:00:00.000Z';
    expect(minutesWaiting(since, Date.parse(since) + 59_000)).toBe(0);
    expect(minutesWaiting(since, Date.parse(since) + 185_000)).toBe(3);
    expect(minutesWaiting('nonsense', 0)).toBe(0);
  });
});
