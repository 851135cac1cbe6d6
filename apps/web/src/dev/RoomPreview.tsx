import { useState } from 'react';
import type { PeerInfo } from '@dp/protocol';
import { RoomView, type RoomActions } from '../room/RoomScreen.tsx';
import { initialState, type RoomState } from '../room/room-state.ts';
import { AppHeader } from '../ui/AppHeader.tsx';
import { StatusLine } from '../ui/StatusLine.tsx';
import classes from '../join/JoinPage.module.css';

// Development only (see router.tsx): the room with made-up state, to check layouts
// without a backend. `?peer=0` alone, `?peer=audio` audio-only peer, `?peer=off` camera off,
// `?reconnecting=1` the recovery overlay.

export function RoomPreview() {
  const q = new URLSearchParams(location.search);
  const mode = q.get('peer') ?? 'off';
  const peer: PeerInfo = {
    id: 'p2',
    role: 'specialist',
    label: '',
    mic: mode !== 'muted',
    camera: mode !== 'off',
    audioOnly: mode === 'audio',
  };
  const [state, setState] = useState<RoomState>({
    ...initialState,
    phase: q.get('reconnecting') ? 'reconnecting' : 'joined',
    reconnect: 'media',
    joined: true,
    room: { id: 'r1', kind: 'one_to_one', endsAt: new Date(Date.now() + 42 * 60_000).toISOString() },
    peers: mode === '0' ? [] : [peer],
    local: { ...initialState.local, mic: 'ok', camera: 'ok' },
    status: { key: 'status.peerJoined', params: { label: '', role: 'specialist' }, seq: 1 },
  });
  const actions: RoomActions = {
    toggleMic: () => setState((s) => ({ ...s, local: { ...s.local, micOn: !s.local.micOn } })),
    toggleCamera: () => setState((s) => ({ ...s, local: { ...s.local, cameraOn: !s.local.cameraOn } })),
    setAudioOnly: (on) => setState((s) => ({ ...s, local: { ...s.local, audioOnly: on } })),
    leave: () => undefined,
    noteFirstFrame: () => undefined,
  };
  return (
    <div className={classes.roomPage}>
      <AppHeader />
      <StatusLine status={state.status} />
      <RoomView state={state} actions={actions} />
    </div>
  );
}
