import type { TFunction } from 'i18next';
import type { ListLineError } from '@dp/protocol';
import { ApiError } from '../api.ts';

/**
 * A field's error in a darker red (WCAG AA on white) and one line per problem; the text typed
 * into a field with an error stays the usual colour (Mantine paints it red, too light to read).
 */
export const ERROR_STYLES = {
  error: { whiteSpace: 'pre-line', color: 'var(--mantine-color-red-9)' },
  input: { color: 'var(--mantine-color-text)' },
} as const;

/** Each bad line of the pasted list as a sentence with its number, one a line (at most 10, then «…»). */
export function listErrors(t: TFunction, errors: readonly ListLineError[]): string | null {
  if (errors.length === 0) return null;
  const lines = errors.slice(0, 10).map((e) => t(`webinars.emails.${e.problem}`, { line: e.line }));
  if (errors.length > 10) lines.push(t('webinars.emails.more', { count: errors.length - 10 }));
  return lines.join('\n');
}

/** The timetable's violation codes of a refused booking, in words («выходной день, …»). */
export function violationText(t: TFunction, codes: readonly string[]): string {
  return [...new Set(codes)].map((c) => t(`webinars.violation.${c}`, { defaultValue: t('webinars.violation.other') })).join(', ');
}

/**
 * A refused series: `starts.N` → «10 марта: выходной день»; a refused single booking: its
 * violations. Null for other errors.
 */
export function timetableError(t: TFunction, e: unknown, dates: readonly string[], lang: string): string | null {
  if (!(e instanceof ApiError) || (e.status !== 422 && e.status !== 409)) return null;
  const d = e.details as Record<string, unknown> | undefined;
  if (!d) return null;
  const violations = d.violations;
  if (Array.isArray(violations)) {
    return violationText(
      t,
      violations.map((v) => String((v as { code?: unknown }).code)),
    );
  }
  const lines = Object.entries(d).flatMap(([key, value]) => {
    const m = /^starts\.(\d+)$/.exec(key);
    if (!m || typeof value !== 'string') return [];
    const date = dates[Number(m[1])];
    const when = date
      ? new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`))
      : '';
    return [`${when}: ${violationText(t, value.split(', '))}`];
  });
  return lines.length > 0 ? lines.join('\n') : null;
}
