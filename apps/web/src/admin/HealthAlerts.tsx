import { Button, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { HealthAlert, HealthSnapshot } from '@dp/protocol';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cmp, roomTitle, shortId, type HealthFormat } from './format.ts';
import classes from './health.module.css';
import { HealthSection } from './HealthSection.tsx';

// The dashboard's alerts: critical first, then the longest-standing, a few at a time.

/** Alerts listed before «show all» (fewer on a phone, where each takes several lines). */
const ALERTS_SHOWN = 5;
const ALERTS_SHOWN_PHONE = 3;

export function Alerts({ snapshot, fmt, onSelectRoom }: { snapshot: HealthSnapshot; fmt: HealthFormat; onSelectRoom(id: string): void }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const phone = useMediaQuery('(max-width: 48em)');
  const limit = phone ? ALERTS_SHOWN_PHONE : ALERTS_SHOWN;
  const rooms = useMemo(() => new Map(snapshot.rooms.map((r) => [r.roomId, r])), [snapshot.rooms]);
  const nodeOf = useMemo(() => {
    const m = new Map<number, string>();
    for (const n of snapshot.nodes) for (const w of n.workers) m.set(w.pid, n.nodeId);
    return m;
  }, [snapshot.nodes]);
  // Critical first, then the longest-standing: an alert keeps its place while it lasts.
  const alerts = useMemo(
    () =>
      [...snapshot.alerts].sort(
        (a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1) || cmp(a.since, b.since) || cmp(a.id, b.id),
      ),
    [snapshot.alerts],
  );
  const critical = alerts.filter((a) => a.severity === 'critical').length;
  const shown = all ? alerts : alerts.slice(0, limit);

  const who = (a: HealthAlert) => {
    const room = a.roomId ? rooms.get(a.roomId) : undefined;
    const p = a.peerId ? room?.participants.find((x) => x.peerId === a.peerId) : undefined;
    if (p) return `${t(`health.roles.${p.role}`)} ${shortId(p.peerId)}`;
    return a.peerId ? `${t('health.alerts.someone')} ${shortId(a.peerId)}` : t('health.alerts.someone');
  };
  const sentence = (a: HealthAlert) =>
    t(`health.alerts.kinds.${a.kind}`, {
      value: a.value === null ? '—' : fmt.num(a.value, a.kind === 'loss' || a.kind === 'worker_cpu' ? 1 : 0),
      who: who(a),
      pid: a.workerPid ?? '—',
    });
  const where = (a: HealthAlert) => {
    const room = a.roomId ? rooms.get(a.roomId) : undefined;
    if (room) return roomTitle(t, room);
    if (a.workerPid !== null) return t('health.nodes.sfu', { id: nodeOf.get(a.workerPid) ?? '—' });
    return a.roomId ? t('health.alerts.roomClosed') : '';
  };

  return (
    <HealthSection
      id="alerts"
      title={t('health.alerts.title')}
      aside={
        alerts.length > 0 && (
          <Text c="gray.7" data-testid="alerts-count" data-count={alerts.length} data-critical={critical}>
            {t('health.alerts.count', { count: alerts.length, critical })}
          </Text>
        )
      }
    >
      {/* Polite live region: a new alert (or one gone) is read out; figures changing inside
            an alert every 2 s are not (aria-relevant leaves out text changes). */}
      <div role="status" aria-live="polite" aria-relevant="additions removals" data-testid="health-alerts">
        {alerts.length === 0 ? (
          <Text size="lg" data-testid="alerts-none">
            {t('health.alerts.none')}
          </Text>
        ) : (
          <ul className={classes.alerts}>
            {shown.map((a) => {
              const room = a.roomId ? rooms.get(a.roomId) : undefined;
              return (
                <li
                  key={a.id}
                  className={classes.alert}
                  data-severity={a.severity}
                  data-testid={`alert-${a.kind}`}
                  data-alert-id={a.id}
                  data-room-id={a.roomId ?? ''}
                  data-value={a.value ?? ''}
                >
                  <span className={classes.severity}>{t(`health.alerts.${a.severity}`)}</span>
                  <div className={classes.alertText}>
                    <span className={classes.alertSentence}>{sentence(a)}</span>
                    <span className={classes.alertWhere} title={where(a)}>
                      {where(a)}
                    </span>
                  </div>
                  <span className={classes.alertSince}>{t('health.alerts.since', { time: fmt.time(a.since) })}</span>
                  {room ? (
                    <Button variant="default" size="sm" className={classes.alertOpen} onClick={() => onSelectRoom(room.roomId)}>
                      {t('health.alerts.open')}
                    </Button>
                  ) : (
                    <span className={classes.alertOpen} />
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {alerts.length > limit && (
        <Button
          variant="subtle"
          size="md"
          onClick={() => setAll((v) => !v)}
          className={classes.wrapButton}
          aria-expanded={all}
          data-testid="alerts-toggle"
        >
          {all ? t('health.alerts.fewer') : t('health.alerts.all', { count: alerts.length })}
        </Button>
      )}
    </HealthSection>
  );
}
