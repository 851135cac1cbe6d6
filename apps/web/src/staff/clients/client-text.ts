// Words and addresses shared by the registry's screens and the picker.
import type { ClientSummary } from '@dp/protocol';
import type { TFunction } from 'i18next';

/** The client's page address; an admin's (no institution of their own) carries the institution. */
export function clientHref(client: Pick<ClientSummary, 'id' | 'institutionId'>, ownInstitutionId: string | null | undefined): string {
  return ownInstitutionId === client.institutionId ? `/clients/${client.id}` : `/clients/${client.id}?institution=${client.institutionId}`;
}

/** «Петров Илья, 9 лет» — the child, when known. */
export function childText(t: TFunction, c: Pick<ClientSummary, 'childName' | 'childAge'>): string {
  if (!c.childName && c.childAge === null) return '';
  if (c.childAge === null) return c.childName ?? '';
  const age = t('clients.age', { count: c.childAge });
  return c.childName ? `${c.childName}, ${age}` : age;
}

export function contactsOf(c: Pick<ClientSummary, 'phone' | 'email' | 'messenger'>): string[] {
  return [c.phone, c.email, c.messenger].filter((x): x is string => !!x);
}
