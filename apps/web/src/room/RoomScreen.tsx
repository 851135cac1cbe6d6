import { Loader } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { SelfView } from '../ui/SelfView.tsx';
import { ControlBar } from './ControlBar.tsx';
import { RemoteStage } from './RemoteStage.tsx';
import type { RoomClient } from './room-client.ts';
import type { RoomState } from './room-state.ts';
import { TimeLeft } from './TimeLeft.tsx';
import classes from './RoomScreen.module.css';

export interface RoomActions {
  toggleMic: () => void;
  toggleCamera: () => void;
  setAudioOnly: (on: boolean) => void;
  leave: () => void;
  noteFirstFrame: () => void;
}

export function actionsOf(client: RoomClient): RoomActions {
  return {
    toggleMic: () => void client.toggleMic(),
    toggleCamera: () => void client.toggleCamera(),
    setAudioOnly: (on) => void client.setAudioOnly(on),
    leave: () => void client.leave(),
    noteFirstFrame: () => client.noteFirstFrame(),
  };
}

/** The one-to-one room: the other person large, yourself small in a corner, controls below. */
export function RoomScreen({ client, state }: { client: RoomClient; state: RoomState }) {
  return <RoomView state={state} actions={actionsOf(client)} />;
}

export function RoomView({ state, actions }: { state: RoomState; actions: RoomActions }) {
  const { t } = useTranslation();
  // One participant in a one-to-one room; with more (should not happen) the first is shown.
  const peer = state.peers[0];
  const media = peer ? state.remote[peer.id] : undefined;
  const { noteFirstFrame } = actions;
  const onFirstFrame = useCallback(() => noteFirstFrame(), [noteFirstFrame]);
  const reconnecting = state.phase === 'reconnecting';

  return (
    <main className={classes.main}>
      <section className={classes.stage} aria-label={t('room.stage')}>
        <RemoteStage peer={peer} media={media} selfAudioOnly={state.local.audioOnly} onFirstFrame={onFirstFrame} />
        {state.room?.endsAt && (
          <div className={classes.timeLeft}>
            <TimeLeft endsAt={state.room.endsAt} />
          </div>
        )}
        <div className={classes.selfCorner}>
          <SelfView stream={state.local.cameraOn ? state.local.previewStream : null} variant="corner" />
        </div>
        {reconnecting && (
          <div className={classes.reconnecting}>
            <Loader color="white" aria-hidden="true" />
            <p className={classes.placeholderTitle}>{t('status.mediaReset')}</p>
            <p className={classes.placeholderText}>{t('room.reconnectingHint')}</p>
          </div>
        )}
        <span data-testid="peer-count" data-count={state.peers.length} hidden>
          {state.peers.length}
        </span>
      </section>
      <ControlBar
        state={state}
        onMic={actions.toggleMic}
        onCamera={actions.toggleCamera}
        onAudioOnly={() => actions.setAudioOnly(!state.local.audioOnly)}
        onLeave={actions.leave}
      />
    </main>
  );
}
