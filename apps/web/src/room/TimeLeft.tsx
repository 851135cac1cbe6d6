import { Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { clockTime, timerView } from './time-left.ts';
import { serverNow } from '../app/server-time.ts';

/**
 * The room's clock: the booked end as the main figure («до 17:15 · осталось 12 мин»), and
 * apart, quieter, when the room closes by itself («комната закроется в 17:30»). Both turn
 * to a warning colour before their end (with a word, never colour alone), so neither end
 * comes as a surprise. Times are the institution's when the page knows its zone.
 */
export function TimeLeft({ bookedEndsAt, endsAt, timeZone }: { bookedEndsAt: string | null; endsAt: string | null; timeZone?: string }) {
  const { t, i18n } = useTranslation();
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const id = setInterval(() => setNow(serverNow()), 15_000);
    return () => clearInterval(id);
  }, []);
  const { booked, cap } = timerView(now, bookedEndsAt, endsAt);
  if (!booked && !cap) return null;
  const time = (at: number) => clockTime(at, i18n.language, timeZone);
  return (
    <div data-testid="time-left" data-phase={booked?.phase} data-cap-soon={cap?.soon || undefined}>
      {booked && (
        <Text
          size="sm"
          fw={650}
          c={booked.phase === 'running' ? 'gray.9' : 'orange.9'}

          data-testid="time-booked"
        >
          {booked.phase === 'over'
            ? t('room.timer.bookedOver', { time: time(booked.at) })
            : t('room.timer.booked', { time: time(booked.at), count: booked.minutesLeft })}
        </Text>
      )}
      {cap && (
        <Text
          size="xs"
          fw={cap.soon ? 650 : 400}
          c={cap.soon ? 'orange.9' : 'gray.7'}

          data-testid="time-cap"
        >
          {cap.soon || !booked
            ? t('room.timer.capIn', { time: time(cap.at), count: cap.minutesLeft })
            : t('room.timer.cap', { time: time(cap.at) })}
        </Text>
      )}
    </div>
  );
}
