// Words and addresses shared by the registry's screens and the picker.
import type { ClientSummary, Institution } from '@dp/protocol';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';

/** The client's page address; an admin's (no institution of their own) carries the institution. */
export function clientHref(client: Pick<ClientSummary, 'id' | 'institutionId'>, ownInstitutionId: string | null | undefined): string {
  return ownInstitutionId === client.institutionId ? `/clients/${client.id}` : `/clients/${client.id}?institution=${client.institutionId}`;
}

/** The institution whose registry is shown: the user's own, or (admins) one of the department's. */
export function useInstitutionChoice(): {
  institutions: Institution[];
  institutionId: string | null;
  setInstitutionId: (id: string) => void;
  error: unknown;
} {
  const { session } = useSession();
  const [institutions, setInstitutions] = useState<Institution[]>([]);
  const [institutionId, setInstitutionId] = useState<string | null>(session?.user.institutionId ?? null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.call('institutions.list', {}).then(
      (l) => {
        setInstitutions(l.institutions);
        setInstitutionId((id) => id ?? l.institutions[0]?.id ?? null);
      },
      (e: unknown) => setError(e),
    );
  }, []);
  return { institutions, institutionId, setInstitutionId, error };
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
