import { Button, Drawer, Loader } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { hasPower } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelfView } from '../ui/SelfView.tsx';
import { MicIcon, ScreenIcon } from '../ui/icons.tsx';
import { ControlBar } from './ControlBar.tsx';
import { CuratorIndicator } from './CuratorIndicator.tsx';
import { EndConsultationDialog } from './EndConsultationDialog.tsx';
import { actionsOf, type RoomActions } from './room-actions.ts';
import type { RoomClient } from './room-client.ts';
import { mediaPlan } from './media-plan.ts';
import type { RoomState } from './room-state.ts';
import { SidePanel, type PanelTab } from './SidePanel.tsx';
import { Stage } from './Stage.tsx';
import { useNotes, useRegistry } from './staff-records.ts';
import { TimeLeft } from './TimeLeft.tsx';
import { WaitingList } from './WaitingList.tsx';
import classes from './RoomScreen.module.css';
import type { OnFrameMilestone } from './timings.ts';

export type { RoomActions } from './room-actions.ts';

/** The room (once let in): the stage, the side panel, the controls. */
export function RoomScreen({ client, state, timeZone }: { client: RoomClient; state: RoomState; timeZone?: string | undefined }) {
  const [actions] = useState(() => actionsOf(client));
  return <RoomView state={state} actions={actions} timeZone={timeZone} />;
}

/** Wide enough for the side panel beside the stage; narrower screens open it as a drawer. */
const WIDE = '(min-width: 62em)';

/**
 * False for the first moments after the room appears, then true once the browser is idle.
 * The side panel (tabs, chat, participants) mounts then: entering the room, the main thread
 * first sets up the other person's picture and voice (the server offers them within
 * milliseconds), and an old laptop does not spend those on drawing a chat box.
 */
function useWhenIdle(): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(() => setIdle(true), { timeout: 600 });
      return () => cancelIdleCallback(id);
    }
    const id = setTimeout(() => setIdle(true), 200);
    return () => clearTimeout(id);
  }, []);
  return idle;
}

/** `timeZone`: the institution's, for the timer's clock times (else the device's). */
export function RoomView({ state, actions, timeZone }: { state: RoomState; actions: RoomActions; timeZone?: string | undefined }) {
  const { t } = useTranslation();
  const wide = useMediaQuery(WIDE, typeof window !== 'undefined' ? window.matchMedia(WIDE).matches : true, {
    getInitialValueInEffect: false,
  });
  const kind = state.room?.kind ?? 'one_to_one';
  const self = state.self;
  const role = self?.role;
  const plan = self ? mediaPlan(self.role, self.floor) : { mic: true, camera: true, screen: false };
  const { noteFirstFrame } = actions;
  const onFirstFrame = useCallback<OnFrameMilestone>((milestone, at) => noteFirstFrame(milestone, at), [noteFirstFrame]);
  const reconnecting = state.phase === 'reconnecting';

  // The panel is open beside the stage on a wide screen, closed (a drawer) on a phone.
  const [panelOpen, setPanelOpen] = useState(wide);
  useEffect(() => setPanelOpen(wide), [wide]);
  const [tab, setTab] = useState<PanelTab>(kind === 'webinar' && role !== 'attendee' ? 'participants' : 'chat');

  const notes = useNotes(state.room?.id, role);
  const registry = useRegistry(state.room?.id, role);
  const records = { notes, registry };

  // Messages from others since the chat was last in view: a count on the panel button.
  const [seen, setSeen] = useState(state.chat.length);
  const chatInView = panelOpen && tab === 'chat';
  useEffect(() => {
    if (chatInView) setSeen(state.chat.length);
  }, [chatInView, state.chat.length]);
  const unread = chatInView ? 0 : state.chat.slice(seen).filter((m) => m.peerId !== self?.id).length;

  const sharing = state.local.screenStream !== null;
  const selfCorner = plan.camera;
  const onAir = self?.role === 'attendee' && self.floor !== 'none';

  const [confirmEnd, setConfirmEnd] = useState(false);
  const mayEnd = role !== undefined && hasPower(role, 'end');

  const panelReady = useWhenIdle();
  const panel = panelReady ? <SidePanel state={state} actions={actions} records={records} tab={tab} onTab={setTab} /> : null;

  return (
    <main className={classes.main} data-kind={kind} data-role={role}>
      {/* Screen readers jump by headings: the room has its own page title, not shown (the picture says it). */}
      <h1 className={classes.srOnly}>{t('app.subtitle')}</h1>
      {role && hasPower(role, 'admit') && <WaitingList waiting={state.waiting} onAdmit={actions.admit} onDecline={actions.decline} />}
      {kind === 'dyad' && <CuratorIndicator self={self} peers={state.peers} />}
      {onAir && (
        <div className={classes.onAir} data-testid="on-air" data-floor={self.floor}>
          <MicIcon size={20} />
          <span>{self.floor === 'full' ? t('room.onAirFull') : t('room.onAirMic')}</span>
        </div>
      )}
      {state.linkRestoring && !reconnecting && (
        <div className={`${classes.noticeBar} ${classes.linkRestoring}`} data-testid="link-restoring" role="status">
          <Loader color="white" size="xs" type="dots" aria-hidden="true" />
          <span>{t('room.linkRestoring')}</span>
        </div>
      )}
      {state.local.uplinkWeak && !state.local.audioOnly && (
        <div className={`${classes.noticeBar} ${classes.ownWeak}`} data-testid="own-video-paused-weak" role="status">
          <span>{t('room.ownWeakLink')}</span>
          <Button size="compact-md" color="dark" variant="outline" onClick={() => actions.setAudioOnly(true)}>
            {t('room.controls.audioOnly')}
          </Button>
        </div>
      )}
      <div className={classes.body}>
        <section className={classes.stage} aria-label={t('room.stage')}>
          <Stage
            kind={kind}
            selfRole={role}
            peers={state.peers}
            remote={state.remote}
            selfAudioOnly={state.local.audioOnly}
            onFirstFrame={onFirstFrame}
            onAudioOnly={() => actions.setAudioOnly(true)}
          />

          {(state.room?.bookedEndsAt || state.room?.endsAt) && (
            <div className={classes.timeLeft}>
              <TimeLeft bookedEndsAt={state.room.bookedEndsAt} endsAt={state.room.endsAt} {...(timeZone ? { timeZone } : {})} />
            </div>
          )}
          {sharing && (
            <div className={classes.sharing} data-testid="sharing-banner">
              <ScreenIcon size={20} />
              <span>{t('room.sharingNow')}</span>
              <Button size="compact-md" color="red.9" onClick={actions.stopScreenShare} data-testid="screen-stop">
                {t('room.stopSharing')}
              </Button>
            </div>
          )}
          {selfCorner && (
            <div className={classes.selfCorner}>
              <SelfView stream={state.local.cameraOn ? state.local.previewStream : null} variant="corner" />
            </div>
          )}
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
        {wide && panelOpen && (
          <aside className={classes.side} aria-label={t('room.panel.title')} data-testid="side-panel">
            {panel}
          </aside>
        )}
      </div>
      <ControlBar
        state={state}
        onMic={actions.toggleMic}
        onCamera={actions.toggleCamera}
        onAudioOnly={() => actions.setAudioOnly(!state.local.audioOnly)}
        onLeave={actions.leave}
        {...(mayEnd ? { onEnd: () => setConfirmEnd(true) } : {})}
        onScreen={sharing ? actions.stopScreenShare : actions.startScreenShare}
        onHand={() => actions.raiseHand(!self?.hand)}
        onStep={self?.floor === 'none' ? actions.stepIn : actions.stepOut}
        onPanel={() => setPanelOpen((o) => !o)}
        panelOpen={panelOpen}
        unread={unread}
      />
      {mayEnd && <EndConsultationDialog opened={confirmEnd} onClose={() => setConfirmEnd(false)} onConfirm={actions.endConsultation} />}
      {!wide && (
        <Drawer
          opened={panelOpen}
          onClose={() => setPanelOpen(false)}
          position="bottom"
          size="88%"
          keepMounted
          title={t('room.panel.title')}
          closeButtonProps={{ 'aria-label': t('room.panel.close'), size: 'xl' }}
          // Mantine draws the drawer's header as <header>, which outside <main> reads as a
          // second page banner (landmark-no-duplicate-banner); the dialog is named by its title.
          attributes={{ header: { role: 'none' } }}
          classNames={{ content: classes.drawerContent, body: classes.drawerBody, header: classes.drawerHeader }}
          data-testid="side-drawer"
        >
          {panel}
        </Drawer>
      )}
    </main>
  );
}
