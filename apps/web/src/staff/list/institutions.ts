import type { Institution, StaffMember } from '@dp/protocol';
import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';

// The institution a staff list shows and its specialists (for the lists' «Специалист» filter).

export interface InstitutionChoice {
  institutions: Institution[];
  institutionId: string | null;
  setInstitutionId: (id: string) => void;
  institution: Institution | undefined;
  error: unknown;
}

/** The institution whose list is shown: the user's own, or (admins) one of the department's. */
export function useInstitutionChoice(): InstitutionChoice {
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
  const institution = institutions.find((i) => i.id === institutionId);
  return { institutions, institutionId, setInstitutionId, institution, error };
}

/** The institution's active specialists by name (none while `enabled` is false or on failure). */
export function useSpecialists(institutionId: string | null, enabled = true): StaffMember[] {
  const [specialists, setSpecialists] = useState<StaffMember[]>([]);
  useEffect(() => {
    if (!institutionId || !enabled) return;
    api.call('staff.list', { institutionId }, { role: 'specialist' }).then(
      (l) => setSpecialists(l.staff.filter((s) => s.active).sort((a, b) => a.displayName.localeCompare(b.displayName, 'ru'))),
      () => setSpecialists([]),
    );
  }, [institutionId, enabled]);
  return specialists;
}
