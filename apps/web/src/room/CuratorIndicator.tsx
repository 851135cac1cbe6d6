import type { PeerInfo } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { EyeIcon, MicIcon } from '../ui/icons.tsx';
import { curatorState } from './room-state.ts';
import classes from './RoomScreen.module.css';

/**
 * In a dyad, always in view: whether the curator is present, and whether it only watches
 * or takes part. A client must never be unsure who is listening. The curator sees its own
 * state the same way («Вы наблюдаете» / «Вы участвуете в разговоре»).
 */
export function CuratorIndicator({ self, peers }: { self: PeerInfo | null; peers: PeerInfo[] }) {
  const { t } = useTranslation();
  if (self?.role === 'curator') {
    const speaking = self.floor !== 'none';
    return (
      <div
        className={`${classes.curatorBar} ${speaking ? classes.curatorSpeaking : classes.curatorObserving}`}
        data-testid="curator-self-state"
        data-state={speaking ? 'speaking' : 'observing'}
      >
        {speaking ? <MicIcon size={22} /> : <EyeIcon size={22} />}
        <span>
          <strong>{speaking ? t('room.curator.selfSpeaking') : t('room.curator.selfObserving')}</strong>{' '}
          {speaking ? t('room.curator.selfSpeakingHint') : t('room.curator.selfObservingHint')}
        </span>
      </div>
    );
  }
  const state = curatorState(peers);
  if (state === 'absent') return null;
  return (
    <div
      className={`${classes.curatorBar} ${state === 'speaking' ? classes.curatorSpeaking : classes.curatorObserving}`}
      data-testid="curator-indicator"
      data-state={state}
      role="note"
    >
      {state === 'speaking' ? <MicIcon size={22} /> : <EyeIcon size={22} />}
      <span>
        <strong>{state === 'speaking' ? t('room.curator.speaking') : t('room.curator.observing')}</strong>
        {' — '}
        {state === 'speaking' ? t('room.curator.speakingHint') : t('room.curator.observingHint')}
      </span>
    </div>
  );
}
