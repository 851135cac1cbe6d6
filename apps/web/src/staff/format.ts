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
