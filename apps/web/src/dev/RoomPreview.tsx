import { useState } from 'react';
import type { ChatMessage, PeerInfo, RoomKind, RoomRole } from '@dp/protocol';
import { RoomView, type RoomActions } from '../room/RoomScreen.tsx';
import type { ClientErrorCode } from '../room/room-error.ts';
import { initialState, type RoomState } from '../room/room-state.ts';
import { WaitingView } from '../room/WaitingRoom.tsx';
import { AppHeader } from '../ui/AppHeader.tsx';
import { StatusLine } from '../ui/StatusLine.tsx';
import classes from '../join/JoinPage.module.css';
import '../room/mantine-room-styles.ts';

// Development only (see router.tsx): the room with made-up state, to check layouts
// without a backend. `?kind=one_to_one|webinar|dyad&role=…`; one-to-one: `?peer=0` alone,
// `?peer=audio` audio-only peer, `?peer=off` camera off; `?reconnecting=1` the recovery
// overlay; `?waiting=1` a client's waiting room (`&declined=1`); `?queue=2` clients waiting;
// `?booked=12&cap=27` minutes to the booked end and to the room's close (`&tz=Asia/Omsk`);
// `?endError=forbidden` «Завершить консультацию» is refused with that code; `?peer=weak` the
// peer's video paused for our weak link, `&uplink=weak` our own camera paused, `&restoring=1`
// the media path being restored in place (ICE restart).

const peer = (over: Partial<PeerInfo> & Pick<PeerInfo, 'id' | 'role'>): PeerInfo => ({
  label: '',
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

const line = (id: string, who: PeerInfo, text: string, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  peerId: who.id,
  role: who.role,
  label: who.label,
  number: who.number,
  kind: 'message',
  text,
  url: null,
  answered: false,
  at: new Date(Date.now() - 60_000 * (10 - Number(id.slice(1)))).toISOString(),
  ...over,
});

function scenario(kind: RoomKind, role: RoomRole, mode: string): { self: PeerInfo; peers: PeerInfo[]; chat: ChatMessage[] } {
  if (kind === 'webinar') {
    const host = peer({ id: 'h1', role: 'host', label: 'Соколова Ирина Викторовна' });
    // As the server tells it: an attendee sees the other attendees without names, as «Участник N».
    const named = role === 'host';
    const attendees = ['Петрова Анна', 'Иванов Сергей', 'Кузнецова Мария', 'Смирнов Олег', 'Васильева Елена'].map((label, i) =>
      peer({
        id: `a${i}`,
        role: 'attendee',
        label: named ? label : '',
        number: i + 1,
        mic: false,
        camera: false,
        floor: i === 1 ? 'mic' : 'none',
        hand: i === 2 || i === 4,
      }),
    );
    attendees[1]!.mic = true;
    const self =
      role === 'host' ? host : peer({ id: 'me', role: 'attendee', label: 'Я', number: 6, mic: false, camera: false, floor: 'none' });
    const peers = role === 'host' ? attendees : [host, attendees[1]!];
    const chat = [
      line('m1', host, 'Добрый день! Сегодня говорим о режиме дня ребёнка.'),
      line('m2', attendees[0]!, 'Как быть, если ребёнок не засыпает до полуночи?', { kind: 'question' }),
      line('m3', host, 'Памятка для родителей', { kind: 'material', url: 'https://example.org/pamyatka.pdf' }),
      line('m4', attendees[3]!, 'Спасибо, всё слышно.'),
    ];
    return { self, peers, chat };
  }
  if (kind === 'dyad') {
    const a = peer({ id: 'c1', role: 'client', label: 'Анна' });
    const b = peer({ id: 'c2', role: 'client', label: 'Мария' });
    const curator = peer({
      id: 'k1',
      role: 'curator',
      label: 'Куратор Орлова',
      floor: mode === 'speaking' ? 'full' : 'none',
      mic: mode === 'speaking',
      camera: mode === 'speaking',
    });
    const self = role === 'curator' ? curator : a;
    const peers = role === 'curator' ? [a, b] : [b, curator];
    return { self, peers, chat: [line('m1', b, 'Здравствуйте!')] };
  }
  const other = peer({
    id: 'p2',
    role: role === 'specialist' ? 'client' : 'specialist',
    label: '',
    mic: mode !== 'muted',
    camera: mode !== 'off',
    audioOnly: mode === 'audio',
  });
  const self = peer({ id: 'p1', role });
  return { self, peers: mode === '0' ? [] : [other], chat: [line('m1', other, 'Здравствуйте, меня слышно?')] };
}

export function RoomPreview() {
  const q = new URLSearchParams(location.search);
  const kind = (q.get('kind') ?? 'one_to_one') as RoomKind;
  const role = (q.get('role') ?? (kind === 'webinar' ? 'attendee' : 'client')) as RoomRole;
  const s = scenario(kind, role, q.get('peer') ?? q.get('curator') ?? 'off');
  const queue = Number(q.get('queue') ?? 0);
  const [state, setState] = useState<RoomState>({
    ...initialState,
    phase: q.get('declined') ? 'declined' : q.get('reconnecting') ? 'reconnecting' : 'joined',
    admission: q.get('waiting') ? 'waiting' : 'admitted',
    admitterPresent: q.get('present') === '1',
    reconnect: 'media',
    joined: true,
    self: s.self,
    room: {
      id: 'r1',
      kind,
      endsAt: new Date(Date.now() + Number(q.get('cap') ?? 42) * 60_000).toISOString(),
      bookedEndsAt: new Date(Date.now() + Number(q.get('booked') ?? 27) * 60_000).toISOString(),
    },
    peers: s.peers,
    chat: s.chat,
    waiting: Array.from({ length: queue }, (_, i) => ({
      id: `w${i}`,
      label: i === 0 ? 'Петрова Анна Сергеевна' : '',
      since: new Date(Date.now() - i * 180_000).toISOString(),
    })),
    local: { ...initialState.local, mic: 'ok', camera: 'ok', uplinkWeak: q.get('uplink') === 'weak' },
    linkRestoring: q.get('restoring') === '1',
    remote:
      q.get('peer') === 'weak'
        ? {
            p2: {
              audioTrack: null,
              videoTrack: null,
              videoPaused: false,
              videoLayer: null,
              audioPaused: false,
              screenTrack: null,
              screenPaused: false,
            },
          }
        : {},
    status: { key: 'status.peerJoined', params: { label: '', role: 'specialist' }, seq: 1 },
  });
  const noop = () => undefined;
  const actions: RoomActions = {
    toggleMic: () => setState((st) => ({ ...st, local: { ...st.local, micOn: !st.local.micOn } })),
    toggleCamera: () => setState((st) => ({ ...st, local: { ...st.local, cameraOn: !st.local.cameraOn } })),
    setAudioOnly: (on) => setState((st) => ({ ...st, local: { ...st.local, audioOnly: on } })),
    leave: noop,
    endConsultation: () => new Promise((r) => setTimeout(() => r((q.get('endError') as ClientErrorCode | null) ?? null), 400)),
    noteFirstFrame: noop,
    startScreenShare: noop,
    stopScreenShare: noop,
    admit: noop,
    decline: noop,
    raiseHand: (raised) => setState((st) => ({ ...st, self: st.self && { ...st.self, hand: raised } })),
    grantFloor: noop,
    revokeFloor: noop,
    mutePeer: noop,
    removePeer: noop,
    stepIn: () => setState((st) => ({ ...st, self: st.self && { ...st.self, floor: 'full' } })),
    stepOut: () => setState((st) => ({ ...st, self: st.self && { ...st.self, floor: 'none' } })),
    sendChat: () => Promise.resolve(true),
    markAnswered: noop,
    postMaterial: () => Promise.resolve(true),
  };
  const waiting = state.admission === 'waiting' || state.phase === 'declined';
  return (
    <div className={waiting ? classes.page : classes.roomPage}>
      <AppHeader />
      <StatusLine status={state.status} />
      {waiting ? (
        <WaitingView state={state} actions={{ ...actions, askAgain: noop }} />
      ) : (
        <RoomView state={state} actions={actions} timeZone={q.get('tz') ?? undefined} />
      )}
    </div>
  );
}
