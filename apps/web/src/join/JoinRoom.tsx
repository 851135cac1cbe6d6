import { useEffect, useState, type ReactNode } from 'react';
import type { RoomAuth, RoomClient } from '../room/room-client.ts';
import { EndScreen } from '../room/EndScreen.tsx';
import { useRoomState } from '../room/useRoomClient.ts';
import type { RoomState } from '../room/room-state.ts';
import { AppHeader } from '../ui/AppHeader.tsx';
import { StatusLine } from '../ui/StatusLine.tsx';
import { PreJoin } from './PreJoin.tsx';
import classes from './JoinPage.module.css';

declare global {
  interface Window {
    /** The live RoomClient, for end-to-end tests and the join-time benchmark. */
    __roomClient?: RoomClient;
  }
}

const loadRoom = () => import('../room/room-entry.ts');
type RoomModule = Awaited<ReturnType<typeof loadRoom>>;

export interface JoinRoomProps {
  /** A client's link token, or a signed-in member of staff's consultation id. */
  auth: RoomAuth;
  forceTcp: boolean;
  institutionPhone: string | null;
  /** The institution's time zone (the room's timer shows its times); the device's when unknown. */
  timeZone?: string | undefined;
  /** The top bar; told whether the page is in the room (a staff page drops its links there). Default: the plain header. */
  header?: (inRoom: boolean) => ReactNode;
  /** Shown above the preview (a staff page: which consultation, the way back). */
  intro?: ReactNode;
  /**
   * After «Выйти» (phase `left`): a staff page goes back to its consultations instead of
   * the client's «Вы вышли» screen.
   */
  onLeft?: () => void;
  /** The end screen (closed, failed; and left without `onLeft`). Default: the client's. */
  end?: (state: RoomState, rejoin: () => void) => ReactNode;
}

/**
 * The room's part of a page: preview (with the device check) → (waiting room →) room →
 * end. The client's link page and the staff room page both use it; only the way in
 * (`auth`) and the ends differ.
 */
export function JoinRoom({ auth, forceTcp, institutionPhone, timeZone, header, intro, onLeft, end }: JoinRoomProps) {
  const [client, setClient] = useState<RoomClient | null>(null);
  const [room, setRoom] = useState<RoomModule | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  // The auth object is rebuilt by each render of the parent: the client is made once per way in.
  const authKey = 'token' in auth ? `t:${auth.token}` : `c:${auth.consultationId}`;

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
        c = new mod.RoomClient({ auth, forceTcp });
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
    // `auth` itself is keyed by authKey (a new object with the same content is the same way in).
  }, [authKey, forceTcp]);

  const state = useRoomState(client);
  const present = state.phase === 'joined' || state.phase === 'reconnecting';
  // A client of a one-to-one or a dyad waits until the specialist or curator lets it in.
  const waiting = (present && state.admission === 'waiting') || state.phase === 'declined';
  const inRoom = present && !waiting;
  const left = state.phase === 'left';
  const ended = left || state.phase === 'closed' || state.phase === 'failed';

  useEffect(() => {
    // After the server has been told: unmounting closes the socket.
    if (left && onLeft && client) void client.leaveDone.then(onLeft);
  }, [left, onLeft, client]);

  const rejoin = () => void client?.join();
  return (
    <div className={inRoom ? classes.roomPage : classes.page}>
      {header ? header(inRoom) : <AppHeader />}
      <StatusLine status={state.status} visible={!ended} />
      {client && room && inRoom && <room.RoomScreen client={client} state={state} timeZone={timeZone} />}
      {client && room && waiting && <room.WaitingRoom client={client} state={state} />}
      {client &&
        ended &&
        !(left && onLeft) &&
        (end ? (
          end(state, rejoin)
        ) : (
          <EndScreen
            state={state}
            onRejoin={rejoin}
            institutionPhone={institutionPhone}
            feedbackHref={'token' in auth ? `/join/${encodeURIComponent(auth.token)}/feedback` : null}
          />
        ))}
      {!present && !waiting && !ended && (
        <>
          {intro}
          <PreJoin
            auth={auth}
            forceTcp={forceTcp}
            state={state}
            ready={client !== null}
            loadFailed={loadFailed}
            onJoin={() => void client?.join()}
            onRetryDevices={() => void client?.retryDevices()}
            onJoinAudioOnly={() => void client?.setAudioOnly(true).then(() => client.join())}
            institutionPhone={institutionPhone}
            onToggleMic={() => void client?.toggleMic()}
            onToggleCamera={() => void client?.toggleCamera()}
          />
        </>
      )}
    </div>
  );
}
