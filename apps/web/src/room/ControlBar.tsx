import { Button } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CameraIcon, CameraOffIcon, HeadphonesIcon, LeaveIcon, MicIcon, MicOffIcon } from '../ui/icons.tsx';
import type { RoomState } from './room-state.ts';
import classes from './ControlBar.module.css';

interface ToggleProps {
  testId: string;
  label: string;
  pressed: boolean;
  /** The device exists and works; when false the state word says «нет». */
  available: boolean;
  /** Not usable in the current mode (the camera while in audio-only). */
  blocked: boolean;
  /**
   * Its request is in flight. The button stays enabled (a disabled button drops keyboard
   * focus) and the client ignores presses until the answer comes.
   */
  busy: boolean;
  icon: ReactNode;
  /** `mute`: off is the state to notice (mic, camera); `mode`: on is (audio-only). */
  tone: 'mute' | 'mode';
  onClick: () => void;
}

/**
 * A two-state button. Its accessible name is the constant label («Микрофон») and
 * aria-pressed carries the state; sighted users get the state as a word and an icon,
 * never as colour alone.
 */
function Toggle({ testId, label, pressed, available, blocked, busy, icon, tone, onClick }: ToggleProps) {
  const { t } = useTranslation();
  const stateWord = !available ? t('room.controls.none') : pressed ? t('room.controls.on') : t('room.controls.off');
  return (
    <Button
      data-testid={testId}
      aria-pressed={available ? pressed : false}
      disabled={!available || blocked}
      aria-busy={busy || undefined}
      onClick={onClick}
      size="lg"
      variant="default"
      className={`${classes.button} ${tone === 'mute' ? (pressed && available ? classes.on : classes.off) : pressed ? classes.modeOn : classes.on}`}
      classNames={{ label: classes.label }}
      leftSection={icon}
    >
      <span className={classes.text}>
        <span>{label}</span>
        <span aria-hidden="true" className={classes.state}>
          {stateWord}
        </span>
      </span>
    </Button>
  );
}

interface Props {
  state: RoomState;
  onMic: () => void;
  onCamera: () => void;
  onAudioOnly: () => void;
  onLeave: () => void;
}

export function ControlBar({ state, onMic, onCamera, onAudioOnly, onLeave }: Props) {
  const { t } = useTranslation();
  const { local, pending } = state;
  const hasMic = local.mic === 'ok';
  const hasCamera = local.camera === 'ok';
  const cameraLive = hasCamera && local.cameraOn && !local.audioOnly;
  return (
    <footer className={classes.bar}>
      <div role="toolbar" aria-label={t('room.controls.toolbar')} className={classes.grid}>
        <Toggle
          testId="mic-toggle"
          label={t('room.controls.mic')}
          pressed={local.micOn}
          available={hasMic}
          blocked={false}
          busy={pending.mic}
          icon={local.micOn && hasMic ? <MicIcon /> : <MicOffIcon />}
          tone="mute"
          onClick={onMic}
        />
        <Toggle
          testId="camera-toggle"
          label={t('room.controls.camera')}
          pressed={cameraLive}
          available={hasCamera}
          blocked={local.audioOnly}
          busy={pending.camera}
          icon={cameraLive ? <CameraIcon /> : <CameraOffIcon />}
          tone="mute"
          onClick={onCamera}
        />
        <Toggle
          testId="audio-only-toggle"
          label={t('room.controls.audioOnly')}
          pressed={local.audioOnly}
          available
          blocked={false}
          busy={pending.audioOnly}
          icon={<HeadphonesIcon />}
          tone="mode"
          onClick={onAudioOnly}
        />
        <Button
          data-testid="leave-button"
          size="lg"
          color="red.9"
          className={classes.button}
          classNames={{ label: classes.label }}
          leftSection={<LeaveIcon />}
          onClick={onLeave}
        >
          {t('room.controls.leave')}
        </Button>
      </div>
    </footer>
  );
}
