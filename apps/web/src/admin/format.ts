import type { RoomHealth } from '@dp/protocol';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

// Number and time formatting for the dashboard, built once per language (Intl formatters
// are costly to create and the page re-renders every 2 s with up to a hundred rooms).

export interface HealthFormat {
  /** A plain number, at most `digits` decimals. */
  num(value: number, digits?: number): string;
  /** A 0–5 score with one decimal always: «4,5», «5,0». */
  score(value: number): string;
  /** bit/s → kbit/s, whole numbers. */
  kbps(bitsPerSecond: number): string;
  /** Bytes → «182 МБ» / «1,2 ГБ». */
  bytes(bytes: number): string;
  /** An instant → «14:05:09». */
  time(at: string | number): string;
  /** An instant → «14:05» (chart axes). */
  clock(at: number): string;
}

export function useHealthFormat(): HealthFormat {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return useMemo(() => {
    const whole = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    const one = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    const two = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
    const fixed1 = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const clock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });
    const mb = t('health.units.mb');
    const gb = t('health.units.gb');
    const pick = (digits: number) => (digits <= 0 ? whole : digits === 1 ? one : two);
    return {
      num: (value, digits = 0) => pick(digits).format(value),
      score: (value) => fixed1.format(value),
      kbps: (bps) => whole.format(bps / 1000),
      bytes: (b) => {
        const m = b / 1024 / 1024;
        return m >= 1024 ? `${one.format(m / 1024)} ${gb}` : `${whole.format(m)} ${mb}`;
      },
      time: (at) => time.format(new Date(at)),
      clock: (at) => clock.format(new Date(at)),
    };
  }, [lang, t]);
}

/** The score badge's colour class: 0 (unusable) – 5 (excellent). */
export type ScoreLevel = 'good' | 'fair' | 'poor' | 'bad';
export function scoreLevel(score: number): ScoreLevel {
  if (score >= 4) return 'good';
  if (score >= 3) return 'fair';
  if (score >= 2) return 'poor';
  return 'bad';
}

/** CPU above this (% of one core) is highlighted; the server's `worker_cpu` alert agrees. */
export const CPU_HOT_PERCENT = 80;
/** Minutes left at which the time column turns amber. */
export const MINUTES_LOW = 5;

/**
 * A short, non-identifying id to tell participants apart on screen: the id's last six
 * characters (our ids are UUIDv7, whose first characters are a timestamp that participants
 * of one consultation share).
 */
export const shortId = (id: string) => id.replace(/-/g, '').slice(-6);

/** Ids and ISO times: plain code-unit order. */
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A room in words: its kind, institution and specialist. */
export function roomTitle(t: TFunction, room: RoomHealth): string {
  return [t(`health.kinds.${room.kind}`), room.institution, room.specialist].filter(Boolean).join(' · ');
}
