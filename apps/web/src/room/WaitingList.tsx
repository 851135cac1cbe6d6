import { Button, Text } from '@mantine/core';
import type { WaitingPeer } from '@dp/protocol';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PersonIcon } from '../ui/icons.tsx';
import { chime } from './chime.ts';
import { serverNow } from '../app/server-time.ts';
import { minutesWaiting, newWaiters } from './room-state.ts';
import classes from './RoomScreen.module.css';

interface Props {
  waiting: WaitingPeer[];
  onAdmit: (peerId: string) => void;
  onDecline: (peerId: string) => void;
}

/**
 * For the specialist (one-to-one) or curator (dyad): who waits to be let in, with
 * «Впустить» / «Не сейчас». It sits above the stage, so it is seen without opening any
 * panel; a newcomer also rings a soft chime and is named in the status line, and the
 * tab's title counts who waits (the specialist may be in another tab writing notes).
 */
export function WaitingList({ waiting, onAdmit, onDecline }: Props) {
  const { t } = useTranslation();
  const seen = useRef<WaitingPeer[]>([]);
  const [now, setNow] = useState(serverNow);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    if (newWaiters(seen.current, waiting).length > 0) chime();
    seen.current = waiting;
  }, [waiting]);

  useEffect(() => {
    if (waiting.length === 0) return;
    const id = setInterval(() => setNow(serverNow()), 20_000);
    return () => clearInterval(id);
  }, [waiting.length]);

  useEffect(() => {
    const title = t('app.title');
    document.title = waiting.length > 0 ? `(${waiting.length}) ${t('room.admit.tabTitle')} — ${title}` : title;
    return () => {
      document.title = title;
    };
  }, [waiting.length, t]);

  useEffect(() => {
    if (busy && !waiting.some((w) => w.id === busy)) setBusy(null);
  }, [busy, waiting]);

  if (waiting.length === 0) return null;
  return (
    <section className={classes.waitingList} data-testid="waiting-list" aria-label={t('room.admit.title')}>
      <Text fw={700} className={classes.waitingTitle}>
        {t('room.admit.title')} ({waiting.length})
      </Text>
      <ul className={classes.waitingEntries}>
        {waiting.map((w) => {
          const name = w.label.trim() || t('room.roles.client');
          const minutes = minutesWaiting(w.since, now);
          return (
            <li key={w.id} className={classes.waitingEntry} data-testid="waiting-entry" data-peer-id={w.id}>
              <span className={classes.waitingWho}>
                <PersonIcon size={22} />
                <span>
                  <strong>{name}</strong>{' '}
                  <span className={classes.waitingSince}>
                    {t('room.admit.waits')} · {minutes < 1 ? t('room.admit.justNow') : t('room.admit.minutes', { count: minutes })}
                  </span>
                </span>
              </span>
              <span className={classes.waitingButtons}>
                <Button
                  data-testid={`admit-${w.id}`}
                  size="md"
                  loading={busy === w.id}
                  onClick={() => {
                    setBusy(w.id);
                    onAdmit(w.id);
                  }}
                  aria-label={t('room.admit.admitWho', { label: name })}
                >
                  {t('room.admit.admit')}
                </Button>
                <Button
                  data-testid={`decline-${w.id}`}
                  size="md"
                  variant="default"
                  disabled={busy === w.id}
                  onClick={() => onDecline(w.id)}
                  aria-label={t('room.admit.declineWho', { label: name })}
                >
                  {t('room.admit.decline')}
                </Button>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
