import type { TFunction } from 'i18next';
import {
  PROTOCOL_LINKS_MAX,
  PROTOCOL_TEXT_MAX,
  type ConsultationTopic,
  type ProtocolVersionView,
  type SaveProtocolBody,
} from '@dp/protocol';
import { ApiError } from '../api.ts';

// The protocol form's values, their body for protocol.save, and the server's field errors in
// Russian on the fields they name (the server's messages are for developers).

export interface LinkValue {
  title: string;
  url: string;
}
export interface ProtocolValues {
  reason: string;
  topic: ConsultationTopic | null;
  solution: string;
  materials: LinkValue[];
}

export const EMPTY: ProtocolValues = { reason: '', topic: null, solution: '', materials: [] };
export { PROTOCOL_LINKS_MAX, PROTOCOL_TEXT_MAX };

/** The form's values from the latest version; a new protocol starts from the consultation's topic. */
export function valuesOf(v: ProtocolVersionView | null, consultationTopic: ConsultationTopic | null = null): ProtocolValues {
  if (!v) return { ...EMPTY, topic: consultationTopic };
  return { reason: v.reason ?? '', topic: v.topic, solution: v.solution ?? '', materials: v.materials.map((m) => ({ ...m })) };
}

export function bodyOf(values: ProtocolValues, version: number): SaveProtocolBody {
  return {
    version,
    reason: values.reason.trim() || null,
    topic: values.topic,
    solution: values.solution.trim() || null,
    // An empty row (nothing typed) is left out; a half-filled one goes and gets its field error.
    materials: values.materials
      .filter((m) => m.title.trim() !== '' || m.url.trim() !== '')
      .map((m) => ({ title: m.title.trim(), url: m.url.trim() })),
  };
}

/** The same check the server makes, before sending: http(s) links only. */
export function isHttpLink(url: string): boolean {
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Client-side checks (the server checks again): field → Russian message. */
export function validate(t: TFunction, values: ProtocolValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of ['reason', 'solution'] as const)
    if (values[f].trim().length > PROTOCOL_TEXT_MAX) errors[f] = t('protocol.errors.tooLong', { count: PROTOCOL_TEXT_MAX });
  values.materials.forEach((m, i) => {
    if (m.title.trim() === '' && m.url.trim() === '') return;
    if (!isHttpLink(m.url)) errors[`materials.${i}.url`] = t('protocol.errors.link');
  });
  if (values.materials.length > PROTOCOL_LINKS_MAX) errors.materials = t('protocol.errors.tooManyLinks', { count: PROTOCOL_LINKS_MAX });
  return errors;
}

/** The server's 400 details as Russian messages on the form's fields (null when it is not a field error). */
export function fieldErrors(t: TFunction, e: unknown): Record<string, string> | null {
  if (!(e instanceof ApiError) || e.status !== 400 || !e.details || typeof e.details !== 'object') return null;
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(e.details as Record<string, unknown>)) {
    const text = String(message);
    if (/required/.test(text)) out[key] = t('protocol.errors.required');
    else if (key === 'reason' || key === 'solution')
      out[key] = /too big|characters/i.test(text) ? t('protocol.errors.tooLong', { count: PROTOCOL_TEXT_MAX }) : t('protocol.errors.text');
    else if (key === 'topic') out[key] = t('protocol.errors.topic');
    else if (/^materials\.\d+\.url$/.test(key)) out[key] = t('protocol.errors.link');
    else if (/^materials\.\d+\.title$/.test(key)) out[key] = t('protocol.errors.text');
    else if (key === 'materials') out[key] = t('protocol.errors.tooManyLinks', { count: PROTOCOL_LINKS_MAX });
    else out.form = t('staff.errors.bad_request');
  }
  return out;
}

/** A file's size for people: «1,2 МБ», «340 КБ». */
export function sizeText(lang: string, bytes: number): string {
  const fmt = (n: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(n);
  if (bytes >= 1024 * 1024) return `${fmt(bytes / (1024 * 1024))} ${lang.startsWith('ru') ? 'МБ' : 'MB'}`;
  if (bytes >= 1024) return `${fmt(bytes / 1024)} ${lang.startsWith('ru') ? 'КБ' : 'KB'}`;
  return `${bytes} ${lang.startsWith('ru') ? 'Б' : 'B'}`;
}
