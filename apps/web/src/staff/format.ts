import type { TFunction } from 'i18next';
import type { ClientErrorCode } from './api.ts';
import { ApiError } from './api.ts';

/** Date and time of an instant, in a time zone (the institution's) or the browser's. */
export function formatDateTime(iso: string, lang: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** Day, month and time of an instant (no year), in a time zone (the institution's): «5 марта, 23:50». */
export function formatDayTime(iso: string, lang: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat(lang, { timeZone, day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );
}

/** The first and the last local day ('YYYY-MM-DD') of the month `now` falls in, in a time zone. */
export function monthDaysIn(timeZone: string, now: Date = new Date()): [string, string] {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const [y, m] = today.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [`${today.slice(0, 7)}-01`, `${today.slice(0, 7)}-${String(last).padStart(2, '0')}`];
}

/** A translated sentence for an API error; `overrides` per code for the screen's own wording. */
export function errorText(t: TFunction, e: unknown, overrides: Partial<Record<ClientErrorCode, string>> = {}): string {
  const code: ClientErrorCode = e instanceof ApiError ? e.code : 'internal';
  return overrides[code] ?? t(`staff.errors.${code}`, { defaultValue: t('staff.errors.internal') });
}

/** A known label under `prefix`, or the raw code (audit actions added later stay readable). */
export function labelOr(t: TFunction, prefix: string, code: string): string {
  return t(`${prefix}.${code}`, { defaultValue: code });
}

/** Only a path of this app may be a `next` target after sign-in (never another origin). */
export function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : null;
}
