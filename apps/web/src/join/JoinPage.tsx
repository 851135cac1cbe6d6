import { useCallback, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { RoomClient } from '../room/room-client.ts';
import { EndScreen } from '../room/EndScreen.tsx';
import { useRoomState } from '../room/useRoomClient.ts';
import { AppHeader } from '../ui/AppHeader.tsx';
import { StatusLine } from '../ui/StatusLine.tsx';
import { PreJoin } from './PreJoin.tsx';
import { LinkSchedule } from './LinkSchedule.tsx';
import { lookUpLink, type LinkLookup } from './link-info.ts';
import classes from './JoinPage.module.css';

declare global {
  interface Window {
    /** The live RoomClient, for end-to-end tests and the join-time benchmark. */
    __roomClient?: RoomClient;
  }
}

const loadRoom = () => import('../room/room-entry.ts');
type RoomModule = Awaited<ReturnType<typeof loadRoom>>;

/**
 * `/join/:token` — one consultation link. First the server says when the consultation
 * is: before the room opens for this link the page counts down (and moves on by itself),
 * after the end or a cancellation it says so; then preview → room → end, on one page.
 */
export function JoinPage() {
  const { token = '' } = useParams();
  const [search] = useSearchParams();
  const forceTcp = search.get('tcp') === '1';
  const [lookup, setLookup] = useState<LinkLookup | null>(null);
  const recheck = useCallback(() => void lookUpLink(token).then(setLookup), [token]);
  useEffect(recheck, [recheck]);

  if (lookup?.kind === 'ok' && lookup.info.consultation.status === 'open') {
    return <JoinRoom token={token} forceTcp={forceTcp} institutionPhone={lookup.info.consultation.institutionPhone} />;
  }
  return (
    <div className={classes.page}>
      <AppHeader />
      {lookup && <LinkSchedule token={token} lookup={lookup} onRecheck={recheck} />}
    </div>
  );
}

/** The room's part of the page: preview → (waiting room →) room → end. */
function JoinRoom({ token, forceTcp, institutionPhone }: { token: string; forceTcp: boolean; institutionPhone: string | null }) {
  const [client, setClient] = useState<RoomClient | null>(null);
  const [room, setRoom] = useState<RoomModule | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);

  useEffect(() => {
    let c: RoomClient | null = null;
    let cancelled = false;
    // The media stack (mediasoup-client, socket.io, protocol schemas) is a separate chunk:
    // on a slow link the page paints first and the rest arrives while the user looks at
    // the preview. A failed load (connection dropped) leaves the page usable for a reload.
    void loadRoom().then(
      (mod) => {
        if (cancelled) return;
        setRoom(mod);
        c = new mod.RoomClient({ token, forceTcp });
        setClient(c);
        window.__roomClient = c;
        void c.preparePreview();
      },
      (e: unknown) => {
        console.error('[join] could not load the room code', e);
        if (!cancelled) setLoadFailed(true);
      },
    );
    return () => {
      cancelled = true;
      if (c) {
        c.dispose();
        if (window.__roomClient === c) delete window.__roomClient;
      }
      setClient(null);
    };
  }, [token, forceTcp]);

  const state = useRoomState(client);
  const present = state.phase === 'joined' || state.phase === 'reconnecting';
  // A client of a one-to-one or a dyad waits until the specialist or curator lets it in.
  const waiting = (present && state.admission === 'waiting') || state.phase === 'declined';
  const inRoom = present && !waiting;
  const ended = state.phase === 'left' || state.phase === 'closed' || state.phase === 'failed';

  return (
    <div className={inRoom ? classes.roomPage : classes.page}>
      <AppHeader />
      <StatusLine status={state.status} visible={!ended} />
      {client && room && inRoom && <room.RoomScreen client={client} state={state} />}
      {client && room && waiting && <room.WaitingRoom client={client} state={state} />}
      {client && ended && <EndScreen state={state} onRejoin={() => void client.join()} />}
      {!present && !waiting && !ended && (
        <PreJoin
          state={state}
          ready={client !== null}
          loadFailed={loadFailed}
          onJoin={() => void client?.join()}
          onRetryDevices={() => void client?.retryDevices()}
          onJoinAudioOnly={() => void client?.setAudioOnly(true).then(() => client.join())}
          institutionPhone={institutionPhone}
        />
      )}
    </div>
  );
}
