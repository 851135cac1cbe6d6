// The client form's values and the bodies they become (no React here, so it is unit-tested).
import {
  Email,
  Phone,
  type Client,
  type ConsentMethod,
  type CreateClientBody,
  type SocialStatus,
  type UpdateClientBody,
} from '@dp/protocol';

export interface ClientFormValues {
  representativeName: string;
  childName: string;
  /** '' when not given (NumberInput gives a number or ''). */
  childAge: number | string;
  phone: string;
  email: string;
  messenger: string;
  address: string;
  socialStatus: SocialStatus | '';
  ippsu: boolean;
  ipsr: boolean;
  consentMethod: ConsentMethod | '';
  /** 'YYYY-MM-DD' (the browser's calendar day). */
  consentDate: string;
  note: string;
}

/** The form's fields the server may name in a 400 (the body's field names, except the consent's date). */
export const FORM_FIELDS = [
  'representativeName',
  'childName',
  'childAge',
  'phone',
  'email',
  'messenger',
  'address',
  'socialStatus',
  'consentMethod',
  'note',
] as const;

/** The server's field name → the form's. */
export function formField(serverField: string): keyof ClientFormValues | null {
  if (serverField === 'consentAt') return 'consentDate';
  return (FORM_FIELDS as readonly string[]).includes(serverField) ? (serverField as keyof ClientFormValues) : null;
}

/** 'YYYY-MM-DD' of a Date in this browser's zone. */
export function localDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function emptyClientValues(today: string): ClientFormValues {
  return {
    representativeName: '',
    childName: '',
    childAge: '',
    phone: '',
    email: '',
    messenger: '',
    address: '',
    socialStatus: '',
    ippsu: false,
    ipsr: false,
    consentMethod: '',
    consentDate: today,
    note: '',
  };
}

export function clientValues(c: Client): ClientFormValues {
  return {
    representativeName: c.representativeName,
    childName: c.childName ?? '',
    childAge: c.childAge ?? '',
    phone: c.phone ?? '',
    email: c.email ?? '',
    messenger: c.messenger ?? '',
    address: c.address ?? '',
    socialStatus: c.socialStatus ?? '',
    ippsu: c.ippsu,
    ipsr: c.ipsr,
    consentMethod: c.consentMethod,
    consentDate: localDay(new Date(c.consentAt)),
    note: c.note ?? '',
  };
}

/**
 * The consent's instant: now when the day is today (a consent noted during the call), else
 * the start of that day in this browser's zone.
 */
export function consentInstant(day: string, now: Date): string {
  if (day === localDay(now)) return now.toISOString();
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d!).toISOString();
}

const trimmed = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());
const age = (v: number | string): number | undefined => (v === '' || v === undefined ? undefined : Number(v));

export function createBody(v: ClientFormValues, now: Date): CreateClientBody {
  return {
    representativeName: v.representativeName.trim(),
    childName: trimmed(v.childName),
    childAge: age(v.childAge),
    phone: trimmed(v.phone),
    email: trimmed(v.email),
    messenger: trimmed(v.messenger),
    address: trimmed(v.address),
    socialStatus: v.socialStatus === '' ? undefined : v.socialStatus,
    ippsu: v.ippsu,
    ipsr: v.ipsr,
    consentMethod: v.consentMethod as ConsentMethod,
    consentAt: consentInstant(v.consentDate, now),
    note: trimmed(v.note),
  };
}

/** Only what changed; a cleared optional field becomes null. The consent is sent again only when its method or day changed. */
export function updateBody(v: ClientFormValues, before: ClientFormValues, now: Date): UpdateClientBody | null {
  const body: Record<string, unknown> = {};
  const text = ['representativeName', 'childName', 'phone', 'email', 'messenger', 'address', 'note'] as const;
  for (const k of text) {
    if (v[k].trim() === before[k].trim()) continue;
    body[k] = k === 'representativeName' ? v[k].trim() : (trimmed(v[k]) ?? null);
  }
  if (age(v.childAge) !== age(before.childAge)) body.childAge = age(v.childAge) ?? null;
  if (v.socialStatus !== before.socialStatus) body.socialStatus = v.socialStatus === '' ? null : v.socialStatus;
  if (v.ippsu !== before.ippsu) body.ippsu = v.ippsu;
  if (v.ipsr !== before.ipsr) body.ipsr = v.ipsr;
  if (v.consentMethod !== before.consentMethod || v.consentDate !== before.consentDate) {
    body.consentMethod = v.consentMethod;
    body.consentAt = consentInstant(v.consentDate, now);
  }
  return Object.keys(body).length > 0 ? (body as UpdateClientBody) : null;
}

/** The message keys (clients.validation.*) of the form's own checks, before anything is sent. */
export type ClientProblem = 'required' | 'tooLong' | 'age' | 'phone' | 'email' | 'contactRequired' | 'consentRequired' | 'future';

export function checkClient(v: ClientFormValues, today: string): Partial<Record<keyof ClientFormValues, ClientProblem>> {
  const p: Partial<Record<keyof ClientFormValues, ClientProblem>> = {};
  if (v.representativeName.trim() === '') p.representativeName = 'required';
  for (const [k, max] of [
    ['representativeName', 300],
    ['childName', 300],
    ['messenger', 200],
    ['address', 500],
    ['note', 2000],
  ] as const) {
    if (!p[k] && v[k].trim().length > max) p[k] = 'tooLong';
  }
  const a = age(v.childAge);
  if (a !== undefined && !(Number.isInteger(a) && a >= 0 && a <= 120)) p.childAge = 'age';
  if (v.phone.trim() !== '' && !Phone.safeParse(v.phone).success) p.phone = 'phone';
  if (v.email.trim() !== '' && !Email.safeParse(v.email.trim()).success) p.email = 'email';
  if (!p.phone && v.phone.trim() === '' && v.email.trim() === '' && v.messenger.trim() === '') p.phone = 'contactRequired';
  if (v.consentMethod === '') p.consentMethod = 'consentRequired';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.consentDate)) p.consentDate = 'consentRequired';
  else if (v.consentDate > today) p.consentDate = 'future';
  return p;
}
