import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import {
  ADMIN_NAMESPACE,
  HEALTH_INTERVAL_MS,
  staffRolesGranted,
  type AdminClientEvents,
  type AdminServerEvents,
  type HealthSnapshot,
  type RoomSeries,
} from '@dp/protocol';
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { io, type Socket } from 'socket.io-client';
import { useSession } from '../staff/session.tsx';
import { StaffPage } from '../staff/StaffPage.tsx';
import { useHealthFormat } from './format.ts';
import { HealthView } from './HealthView.tsx';

// `/admin/health` — the live room-health dashboard. The page owns the socket to the
// `/admin` namespace (the staff session cookie authenticates it); everything it shows is
// drawn by <HealthView> from the latest snapshot and the selected room's charts.

/** Who may open the dashboard: the roles the permission matrix grants `health.rooms` (the server checks again on the socket). */
export const HEALTH_ROLES = staffRolesGranted('health.rooms');

type AdminSocket = Socket<AdminServerEvents, AdminClientEvents>;

/**
 * connecting: the first attempt; unreachable: it failed (never connected yet) and socket.io
 * is retrying; live: connected; lost: the link dropped and socket.io is retrying on its own; denied: the server refuses this role; session: the session is gone;
 * refused: the server ended or refused the connection for another reason (no retries).
 */
type Connection = 'connecting' | 'unreachable' | 'live' | 'lost' | 'denied' | 'session' | 'refused';

const ACK_TIMEOUT_MS = 10_000;
/** Pushes missed before the page says its figures are old. */
const STALE_AFTER = 3;

export function HealthPage() {
  return (
    <StaffPage roles={HEALTH_ROLES} size={1280}>
      <LiveHealth />
    </StaffPage>
  );
}

/** The server's reason for refusing the socket: `err.data.code` or the message itself. */
function refusalCode(err: Error): string {
  const data = (err as Error & { data?: unknown }).data;
  if (data && typeof data === 'object') {
    const code = (data as { code?: unknown; error?: { code?: unknown } }).code ?? (data as { error?: { code?: unknown } }).error?.code;
    if (typeof code === 'string') return code;
  }
  return err.message;
}

function LiveHealth() {
  const { t } = useTranslation();
  const fmt = useHealthFormat();
  const { refresh } = useSession();
  const [params, setParams] = useSearchParams();
  const selected = params.get('room');

  const [snapshot, setSnapshot] = useState<HealthSnapshot | null>(null);
  const [series, setSeries] = useState<RoomSeries | null>(null);
  const [seriesError, setSeriesError] = useState<string | null>(null);
  const [conn, setConn] = useState<Connection>('connecting');
  /** Bumped on every (re)connection: the watched room is asked for again. */
  const [epoch, setEpoch] = useState(0);
  const [stale, setStale] = useState(false);
  const socketRef = useRef<AdminSocket | null>(null);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const lastPush = useRef(0);

  useEffect(() => {
    const socket: AdminSocket = io(ADMIN_NAMESPACE, { withCredentials: true, transports: ['websocket', 'polling'] });
    socketRef.current = socket;
    socket.on('connect', () => {
      setConn('live');
      setEpoch((n) => n + 1);
    });
    // Pushes render as transitions: a hundred rooms and the charts redraw every 2 s, and
    // typing in the search or clicking a room must not wait for that.
    socket.on('healthSnapshot', (s) => {
      lastPush.current = Date.now();
      setStale(false);
      startTransition(() => setSnapshot(s));
    });
    socket.on('roomSeries', (s) => {
      if (s.roomId === selectedRef.current) startTransition(() => setSeries(s));
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      if (reason === 'io server disconnect') {
        // The server closed it on purpose (session ended, role changed): see why.
        setConn('refused');
        void refresh();
      } else setConn('lost');
    });
    socket.on('connect_error', (err) => {
      // socket.active: a network failure socket.io keeps retrying; otherwise the server's
      // middleware refused us and no retry will follow.
      if (socket.active) {
        setConn((c) => (c === 'connecting' || c === 'unreachable' ? 'unreachable' : 'lost'));
        return;
      }
      const code = refusalCode(err);
      if (code === 'unauthenticated') {
        setConn('session');
        void refresh(); // the guard then sends the user to sign in
      } else if (code === 'forbidden') setConn('denied');
      else setConn('refused');
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, [refresh]);

  // Ask for the selected room's charts (or stop them) on every selection and reconnection.
  useEffect(() => {
    const socket = socketRef.current;
    if (!socket?.connected) return;
    let current = true;
    socket.timeout(ACK_TIMEOUT_MS).emit('watchRoom', { roomId: selected }, (err, res) => {
      if (!current) return;
      if (err) setSeriesError(t('health.charts.timeout'));
      else if (!res.ok) setSeriesError(t(`health.charts.errors.${res.error.code}`, { defaultValue: t('health.charts.errors.other') }));
      else {
        setSeriesError(null);
        setSeries(res.data.series);
      }
    });
    return () => {
      current = false;
    };
  }, [selected, epoch, t]);

  // Figures older than a few pushes are flagged (the socket may look alive while the server is stuck).
  useEffect(() => {
    const id = setInterval(() => {
      if (lastPush.current && Date.now() - lastPush.current > STALE_AFTER * HEALTH_INTERVAL_MS) setStale(true);
    }, HEALTH_INTERVAL_MS);
    return () => clearInterval(id);
  }, []);

  const select = useCallback(
    (roomId: string | null) => {
      if (roomId === selectedRef.current) return;
      setSeries(null);
      setSeriesError(null);
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (roomId) next.set('room', roomId);
          else next.delete('room');
          return next;
        },
        { replace: true, preventScrollReset: true },
      );
    },
    [setParams],
  );

  // The tab's title: the number of critical alerts first, to be seen from another tab.
  const critical = snapshot?.alerts.filter((a) => a.severity === 'critical').length ?? 0;
  useEffect(() => {
    const base = `${t('health.title')} — ${t('app.title')}`;
    document.title = critical > 0 ? `(${critical}) ${base}` : base;
    return () => {
      document.title = t('app.title');
    };
  }, [t, critical]);

  const retry = () => {
    setConn('connecting');
    socketRef.current?.connect();
  };

  const updated = snapshot ? fmt.time(snapshot.at) : null;
  const shown = conn === 'live' ? (stale ? 'stale' : null) : conn;
  const status = shown ? <ConnectionStatus conn={shown} updated={updated} onRetry={retry} /> : null;

  return (
    <HealthView
      snapshot={snapshot}
      series={series}
      selectedRoomId={selected}
      onSelectRoom={select}
      seriesError={seriesError}
      status={status}
    />
  );
}

function ConnectionStatus({
  conn,
  updated,
  onRetry,
}: {
  conn: Exclude<Connection, 'live'> | 'stale';
  updated: string | null;
  onRetry(): void;
}) {
  const { t } = useTranslation();
  const old = updated ? t('health.conn.shownAt', { time: updated }) : '';
  if (conn === 'connecting')
    return (
      <Group gap="sm" role="status" data-testid="health-connection" data-state={conn}>
        <Loader size="sm" />
        <Text>{t('health.conn.connecting')}</Text>
      </Group>
    );
  const color = conn === 'lost' || conn === 'stale' || conn === 'unreachable' ? 'yellow' : 'red';
  const text =
    conn === 'lost'
      ? t('health.conn.lost')
      : conn === 'unreachable'
        ? t('health.conn.unreachable')
        : conn === 'stale'
          ? t('health.conn.stale')
          : conn === 'denied'
            ? t('health.conn.denied')
            : conn === 'session'
              ? t('health.conn.session')
              : t('health.conn.refused');
  return (
    <Alert color={color} variant="light" role={color === 'red' ? 'alert' : 'status'} data-testid="health-connection" data-state={conn}>
      <Group gap="md" justify="space-between" wrap="wrap">
        <Group gap="sm" wrap="nowrap">
          {(conn === 'lost' || conn === 'unreachable') && <Loader size="sm" color="yellow.8" />}
          <Text size="lg">
            {text}
            {old && ` ${old}`}
          </Text>
        </Group>
        {conn === 'refused' && (
          <Button size="md" variant="default" onClick={onRetry} data-testid="health-retry">
            {t('health.conn.retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
