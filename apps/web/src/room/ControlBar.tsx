import { Button } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { hasPower } from '@dp/protocol';
import type { ComponentProps, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CameraIcon,
  CameraOffIcon,
  ChatIcon,
  EndIcon,
  HandIcon,
  HeadphonesIcon,
  LeaveIcon,
  MicIcon,
  MicOffIcon,
  ScreenIcon,
  StepInIcon,
  StepOutIcon,
} from '../ui/icons.tsx';
import { mediaPlan } from './media-plan.ts';
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
  /** `mute`: off is the state to notice (mic, camera); `mode`: on is (audio-only, a raised hand). */
  tone: 'mute' | 'mode';
  onClick: () => void;
}

/**
 * A two-state button. Its accessible name is the constant label («Микрофон») and
 * aria-pressed carries the state; sighted users get the state as a word and an icon,
 * never as colour alone.
 */
export function Toggle({ testId, label, pressed, available, blocked, busy, icon, tone, onClick }: ToggleProps) {
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
      classNames={{ label: classes.label, inner: classes.inner, section: classes.section }}
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

/** A one-shot action in the bar (leave, step in, open the panel): same shape as a toggle, no state word. */
function Action({
  testId,
  label,
  shortLabel,
  icon,
  onClick,
  tone = 'plain',
  busy = false,
  badge,
  expanded,
  wide = false,
}: {
  testId: string;
  label: string;
  /** What a phone shows instead of `label` (the screen reader hears `label`). */
  shortLabel?: string;
  icon: ReactNode;
  onClick: () => void;
  tone?: 'plain' | 'danger' | 'primary';
  busy?: boolean;
  badge?: number;
  expanded?: boolean;
  /** The long label only from laptop width up (below, `shortLabel`): «Завершить консультацию». */
  wide?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Button
      data-testid={testId}
      size="lg"
      variant={tone === 'plain' ? 'default' : 'filled'}
      color={tone === 'danger' ? 'red.9' : undefined}
      aria-busy={busy || undefined}
      aria-expanded={expanded}
      className={`${classes.button} ${tone === 'plain' ? classes.on : ''}`}
      classNames={{ label: classes.label, inner: classes.inner, section: classes.section }}
      leftSection={icon}
      onClick={onClick}
      {...(shortLabel ? { 'aria-label': label } : {})}
    >
      <span className={classes.text}>
        {shortLabel ? (
          <>
            <span className={wide ? classes.longWide : classes.long}>{label}</span>
            <span className={wide ? classes.shortWide : classes.short}>{shortLabel}</span>
          </>
        ) : (
          <span>{label}</span>
        )}
        {badge ? (
          <span className={classes.count} data-testid={`${testId}-count`}>
            {t('room.controls.unread', { count: badge })}
          </span>
        ) : null}
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
  /** «Завершить консультацию» (asks first): given to the bar of those who may end it. */
  onEnd?: () => void;
  onScreen?: () => void;
  onHand?: () => void;
  onStep?: () => void;
  /** Opens or closes the side panel (participants, chat …). */
  onPanel?: () => void;
  panelOpen?: boolean;
  unread?: number;
}

type Switches = Pick<RoomState, 'local' | 'pending'>;

/** Microphone on/off: the same switch in the waiting room and in the room's bar. */
export function MicToggle({ state: { local, pending }, onClick }: { state: Switches; onClick: () => void }) {
  const { t } = useTranslation();
  const hasMic = local.mic === 'ok';
  return (
    <Toggle
      testId="mic-toggle"
      label={t('room.controls.mic')}
      pressed={local.micOn}
      available={hasMic}
      blocked={false}
      busy={pending.mic}
      icon={local.micOn && hasMic ? <MicIcon /> : <MicOffIcon />}
      tone="mute"
      onClick={onClick}
    />
  );
}

/** Camera on/off (blocked while audio-only). */
export function CameraToggle({ state: { local, pending }, onClick }: { state: Switches; onClick: () => void }) {
  const { t } = useTranslation();
  const hasCamera = local.camera === 'ok';
  const cameraLive = hasCamera && local.cameraOn && !local.audioOnly;
  return (
    <Toggle
      testId="camera-toggle"
      label={t('room.controls.camera')}
      pressed={cameraLive}
      available={hasCamera}
      blocked={local.audioOnly}
      busy={pending.camera}
      icon={cameraLive ? <CameraIcon /> : <CameraOffIcon />}
      tone="mute"
      onClick={onClick}
    />
  );
}

/** «Только звук»: neither send nor receive video. */
export function AudioOnlyToggle({ state: { local, pending }, onClick }: { state: Switches; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Toggle
      testId="audio-only-toggle"
      label={t('room.controls.audioOnly')}
      pressed={local.audioOnly}
      available
      blocked={false}
      busy={pending.audioOnly}
      icon={<HeadphonesIcon />}
      tone="mode"
      onClick={onClick}
    />
  );
}

/**
 * The room's controls. Which ones appear follows the room policy: a webinar attendee has
 * «Поднять руку» and gets a microphone (and camera) only with the floor; a curator steps
 * in and out; hosts and specialists may share a screen.
 */
export function ControlBar({
  state,
  onMic,
  onCamera,
  onAudioOnly,
  onLeave,
  onEnd,
  onScreen,
  onHand,
  onStep,
  onPanel,
  panelOpen,
  unread,
}: Props) {
  const { t } = useTranslation();
  const { local, pending, self } = state;
  const plan = self ? mediaPlan(self.role, self.floor) : { mic: true, camera: true, screen: false };
  // Phones cannot share a screen from the browser; the button would only take the video's room.
  const wideEnough = useMediaQuery('(min-width: 40em)', true, { getInitialValueInEffect: false });
  const canShare = plan.screen && wideEnough && typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getDisplayMedia);
  const mayRaise = self !== null && hasPower(self.role, 'raise_hand') && self.floor === 'none';
  const stepper = self !== null && hasPower(self.role, 'step_in');
  // The specialist, a webinar's host, a dyad's curator: «Завершить» beside «Выйти».
  const mayEnd = self !== null && hasPower(self.role, 'end') && onEnd !== undefined;

  const items: ReactNode[] = [];
  if (stepper && onStep) {
    const observing = self.floor === 'none';
    items.push(
      <Action
        key="step"
        testId={observing ? 'step-in' : 'step-out'}
        label={observing ? t('room.controls.stepIn') : t('room.controls.stepOut')}
        shortLabel={observing ? t('room.controls.stepInShort') : t('room.controls.stepOutShort')}
        icon={observing ? <StepInIcon /> : <StepOutIcon />}
        tone={observing ? 'primary' : 'plain'}
        busy={pending.stepIn}
        onClick={onStep}
      />,
    );
  }
  if (mayRaise && onHand) {
    items.push(
      <Toggle
        key="hand"
        testId="raise-hand"
        label={self.hand ? t('room.controls.lowerHand') : t('room.controls.raiseHand')}
        pressed={self.hand}
        available
        blocked={false}
        busy={pending.hand}
        icon={<HandIcon />}
        tone="mode"
        onClick={onHand}
      />,
    );
  }
  if (plan.mic) items.push(<MicToggle key="mic" state={state} onClick={onMic} />);
  if (plan.camera) items.push(<CameraToggle key="camera" state={state} onClick={onCamera} />);
  items.push(<AudioOnlyToggle key="audio-only" state={state} onClick={onAudioOnly} />);
  if (canShare && onScreen) {
    items.push(
      <Toggle
        key="screen"
        testId="screen-share"
        label={t('room.controls.screen')}
        pressed={local.screenStream !== null}
        available
        blocked={false}
        busy={pending.screen}
        icon={<ScreenIcon />}
        tone="mode"
        onClick={onScreen}
      />,
    );
  }
  // The panel, «Выйти» and, for those who may, «Завершить консультацию». With «Завершить» beside
  // it, «Выйти» (one may come back) is the plain one: one red button ends for everyone.
  const actions: (ComponentProps<typeof Action> & { key: string })[] = [];
  if (onPanel) {
    actions.push({
      key: 'panel',
      testId: 'panel-toggle',
      label: t('room.controls.panel'),
      shortLabel: t('room.controls.panelShort'),
      icon: <ChatIcon />,
      expanded: panelOpen,
      ...(unread ? { badge: unread } : {}),
      onClick: onPanel,
    });
  }
  actions.push({
    key: 'leave',
    testId: 'leave-button',
    label: t('room.controls.leave'),
    icon: <LeaveIcon />,
    tone: mayEnd ? 'plain' : 'danger',
    onClick: onLeave,
  });
  if (mayEnd && onEnd) {
    actions.push({
      key: 'end',
      testId: 'end-button',
      label: t('room.controls.end'),
      shortLabel: t('room.controls.endShort'),
      icon: <EndIcon />,
      tone: 'danger',
      wide: true,
      onClick: onEnd,
    });
  }
  for (const { key, ...props } of actions) items.push(<Action key={key} {...props} />);

  // On a phone (words at 14 px, whole): up to three in a row, four as two by two; five or more
  // in rows of three on a six-column grid, the last row's buttons widened to fill it.
  const n = items.length;
  const cols = n <= 3 ? n : n === 4 ? 2 : 6;
  return (
    <footer className={classes.bar}>
      <div
        role="toolbar"
        aria-label={t('room.controls.toolbar')}
        className={classes.grid}
        // Seven buttons or more (a specialist who may share a screen and end): icons above the words, as on a phone.
        data-dense={n >= 7 || undefined}
        data-thirds={n >= 5 || undefined}
        data-rest={n >= 5 && n % 3 !== 0 ? n % 3 : undefined}
        style={{ '--cols': cols, '--n': n } as never}
      >
        {items}
      </div>
    </footer>
  );
}
