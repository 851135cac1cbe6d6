import { Button, Loader } from '@mantine/core';
import type { PeerInfo } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { HandIcon, HeadphonesIcon, MicOffIcon, PersonIcon } from '../ui/icons.tsx';
import { peerLabel, roleLabel } from './peer-label.ts';
import { remoteView, type RemoteMedia } from './room-state.ts';
import { RemoteVideo } from './RemoteVideo.tsx';
import classes from './Stage.module.css';
import type { OnFrameMilestone } from './timings.ts';

interface Props {
  peer: PeerInfo;
  media: RemoteMedia | undefined;
  selfAudioOnly: boolean;
  onFirstFrame: OnFrameMilestone;
  /** A small tile next to a shared screen: shorter texts. */
  small?: boolean;
  /** «Только звук», offered right where the video was paused for a weak link. */
  onAudioOnly?: (() => void) | undefined;
}

const placeholderText = {
  peerAway: 'room.peerAway',
  peerAudioOnly: 'room.peerAudioOnly',
  selfAudioOnly: 'room.selfAudioOnly',
  cameraOff: 'room.peerCameraOff',
  videoLoading: 'room.videoLoading',
  weakLink: 'room.weakLink',
} as const;

/** One participant on the stage: their video, or a calm card that says why there is none. */
export function PeerTile({ peer, media, selfAudioOnly, onFirstFrame, small = false, onAudioOnly }: Props) {
  const { t } = useTranslation();
  const view = remoteView(peer, media, selfAudioOnly);
  const label = peerLabel(peer, t);
  const role = roleLabel(peer, t);
  const showRole = label !== role;

  const micText = peer.mic ? t('room.sentence.micOn') : t('room.sentence.micOff');
  const videoText = peer.away
    ? t('room.sentence.away')
    : peer.audioOnly
      ? t('room.sentence.audioOnly')
      : peer.camera
        ? t('room.sentence.cameraOn')
        : t('room.sentence.cameraOff');

  return (
    <div
      className={`${classes.tile} ${peer.away ? classes.away : ''}`}
      data-testid="peer-tile"
      data-peer-id={peer.id}
      data-role={peer.role}
      data-layer={media?.videoLayer === undefined ? '' : String(media.videoLayer)}
    >
      {media?.videoTrack && (
        <RemoteVideo peerId={peer.id} track={media.videoTrack} hidden={view.kind !== 'video'} label={label} onFirstFrame={onFirstFrame} />
      )}

      {view.kind === 'placeholder' && (
        <div className={classes.placeholder}>
          <div className={small ? `${classes.avatar} ${classes.avatarSmall}` : classes.avatar}>
            {view.reason === 'peerAway' ? (
              <Loader color="white" size="sm" type="dots" aria-hidden="true" />
            ) : view.reason === 'peerAudioOnly' || view.reason === 'selfAudioOnly' ? (
              <HeadphonesIcon size={small ? 26 : 44} />
            ) : (
              <PersonIcon size={small ? 26 : 44} />
            )}
          </div>
          {!small && <p className={classes.placeholderTitle}>{label}</p>}
          {(!small || view.reason === 'peerAway' || view.reason === 'weakLink') && (
            <p className={classes.placeholderText} {...(view.reason === 'weakLink' ? { 'data-testid': 'video-paused-weak' } : {})}>
              {/* A webinar speaker given the microphone only has no camera to turn on. */}
              {view.reason === 'cameraOff' && peer.floor === 'mic' ? t('room.speaksWithoutCamera') : t(placeholderText[view.reason])}
            </p>
          )}
          {view.reason === 'weakLink' && !small && <p className={classes.placeholderText}>{t('room.weakLinkHint')}</p>}
          {view.reason === 'weakLink' && onAudioOnly && (
            <Button size="md" variant="white" color="dark" onClick={onAudioOnly} data-testid="weak-audio-only">
              {t('room.controls.audioOnly')}
            </Button>
          )}
        </div>
      )}

      {/* Visual caption; the sentence below is its accessible (and testable) form. */}
      <div className={classes.caption} aria-hidden="true">
        <span className={classes.captionName}>
          {label}
          {showRole && !small && <span className={classes.captionRole}> · {role}</span>}
        </span>
        {peer.hand && (
          <span className={`${classes.badge} ${classes.badgeHand}`}>
            <HandIcon size={18} />
            {!small && t('room.handRaised')}
          </span>
        )}
        {view.kind === 'video' && media?.videoLayer === 0 && !small && (
          <span className={classes.badge} data-testid="low-quality">
            {t('room.lowQuality')}
          </span>
        )}
        {!peer.mic && !peer.away && (
          <span className={classes.badge}>
            <MicOffIcon size={18} />
            {!small && t('room.micOff')}
          </span>
        )}
      </div>
      <p
        className={classes.visuallyHidden}
        data-testid="remote-state"
        data-audio-only={String(peer.audioOnly)}
        data-camera={String(peer.camera)}
        data-mic={String(peer.mic)}
        data-away={String(peer.away)}
        data-peer-id={peer.id}
      >
        {t('room.remoteState', { label: showRole ? `${label} (${role})` : label, mic: micText, video: videoText })}
      </p>
    </div>
  );
}
