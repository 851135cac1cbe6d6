import { Loader } from '@mantine/core';
import type { PeerInfo } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { HeadphonesIcon, MicOffIcon, PersonIcon } from '../ui/icons.tsx';
import { peerLabel } from './peer-label.ts';
import { remoteView, type RemoteMedia } from './room-state.ts';
import { RemoteAudio } from './RemoteAudio.tsx';
import { RemoteVideo } from './RemoteVideo.tsx';
import classes from './RoomScreen.module.css';

interface Props {
  peer: PeerInfo | undefined;
  media: RemoteMedia | undefined;
  selfAudioOnly: boolean;
  onFirstFrame: () => void;
}

const placeholderText = {
  peerAudioOnly: 'room.peerAudioOnly',
  selfAudioOnly: 'room.selfAudioOnly',
  cameraOff: 'room.peerCameraOff',
  videoLoading: 'room.videoLoading',
} as const;

/** The other participant: their video, or a calm card that says why there is none. */
export function RemoteStage({ peer, media, selfAudioOnly, onFirstFrame }: Props) {
  const { t } = useTranslation();
  const view = remoteView(peer, media, selfAudioOnly);
  const label = peer ? peerLabel(peer, t) : '';

  const micText = peer?.mic ? t('room.sentence.micOn') : t('room.sentence.micOff');
  const videoText = peer?.audioOnly
    ? t('room.sentence.audioOnly')
    : peer?.camera
      ? t('room.sentence.cameraOn')
      : t('room.sentence.cameraOff');

  return (
    <>
      {peer && media?.videoTrack && (
        <RemoteVideo peerId={peer.id} track={media.videoTrack} hidden={view.kind !== 'video'} label={label} onFirstFrame={onFirstFrame} />
      )}

      {view.kind === 'waiting' && (
        <div className={classes.placeholder}>
          <Loader color="white" type="dots" aria-hidden="true" />
          <p className={classes.placeholderTitle}>{t('room.waiting')}</p>
          <p className={classes.placeholderText}>{t('room.waitingHint')}</p>
        </div>
      )}

      {view.kind === 'placeholder' && (
        <div className={classes.placeholder}>
          <div className={classes.avatar}>
            {view.reason === 'peerAudioOnly' || view.reason === 'selfAudioOnly' ? <HeadphonesIcon size={44} /> : <PersonIcon size={44} />}
          </div>
          <p className={classes.placeholderTitle}>{label}</p>
          <p className={classes.placeholderText}>{t(placeholderText[view.reason])}</p>
        </div>
      )}

      {/* Visual caption; the sentence below is its accessible (and testable) form. */}
      {peer && (
        <div className={classes.caption} aria-hidden="true">
          <span className={classes.captionName}>{label}</span>
          {!peer.mic && (
            <span className={classes.badge}>
              <MicOffIcon size={18} />
              {t('room.micOff')}
            </span>
          )}
        </div>
      )}
      <p
        className={classes.visuallyHidden}
        data-testid="remote-state"
        data-audio-only={String(peer?.audioOnly ?? false)}
        data-camera={String(peer?.camera ?? false)}
        data-mic={String(peer?.mic ?? false)}
        data-peer-id={peer?.id}
      >
        {peer ? t('room.remoteState', { label, mic: micText, video: videoText }) : t('room.waiting')}
      </p>

      {peer && media?.audioTrack && (
        <div className={classes.audioSlot}>
          <RemoteAudio track={media.audioTrack} />
        </div>
      )}
    </>
  );
}
