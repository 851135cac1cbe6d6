import type { ConsultationNote as Note, Registry as RegistryT, RoomRole } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, setCsrfToken } from '../staff/api.ts';

// The staff's records of a consultation, read from the room page: the group registry with
// the host's notes, and the curator's (or specialist's) private notes. Staff open the room
// from the same /join link while signed in, so the session cookie is there; a client's page
// (or a role the server refuses) simply gets no such panel.

let sessionProbe: Promise<boolean> | null = null;

/** Reads the staff session once: its CSRF token is what lets the panels write. */
export function staffSession(): Promise<boolean> {
  sessionProbe ??= api.call('auth.session', {}, {}, { public: true }).then(
    (info) => {
      setCsrfToken(info.csrfToken);
      return true;
    },
    () => {
      sessionProbe = null; // signed in later (another tab): ask again next time
      return false;
    },
  );
  return sessionProbe;
}

/** The server says this page has no business with the panel: hide it rather than show an error. */
export function isUnavailable(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404);
}

export const recordsApi = {
  registry: (consultationId: string) => api.call('consultations.registry', { consultationId }, {}, { public: true }),
  async saveRegistryNote(consultationId: string, participantId: string, note: string) {
    await staffSession();
    return api.call('consultations.registry_note', { consultationId, participantId }, { note }, { public: true });
  },
  notes: (consultationId: string) => api.call('consultations.notes_list', { consultationId }, {}, { public: true }),
  async addNote(consultationId: string, body: string) {
    await staffSession();
    return api.call('consultations.notes_create', { consultationId }, { body }, { public: true });
  },
};

export type Resource<T> =
  | { status: 'loading' }
  /** 401/403/404 (not staff, another role, no such record): the panel is not shown. */
  | { status: 'hidden' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; data: T };

function useResource<T>(load: (() => Promise<T>) | null): { resource: Resource<T>; reload: () => void; replace: (data: T) => void } {
  const [resource, setResource] = useState<Resource<T>>(load ? { status: 'loading' } : { status: 'hidden' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!load) {
      setResource({ status: 'hidden' });
      return;
    }
    let cancelled = false;
    load().then(
      (data) => !cancelled && setResource({ status: 'ready', data }),
      (error: unknown) => !cancelled && setResource(isUnavailable(error) ? { status: 'hidden' } : { status: 'error', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [load, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const replace = useCallback((data: T) => setResource({ status: 'ready', data }), []);
  return { resource, reload, replace };
}

/** The group registry, for a webinar's hosts. */
export function useRegistry(consultationId: string | undefined, role: RoomRole | undefined) {
  const wanted = consultationId && (role === 'host' || role === 'cohost');
  const load = useCallback(() => recordsApi.registry(consultationId!), [consultationId]);
  return useResource<RegistryT>(wanted ? load : null);
}

/** Private notes of the consultation, for a dyad's curator (and a one-to-one's specialist). */
export function useNotes(consultationId: string | undefined, role: RoomRole | undefined) {
  const wanted = consultationId && (role === 'curator' || role === 'specialist');
  const load = useCallback(() => recordsApi.notes(consultationId!).then((l) => l.notes), [consultationId]);
  return useResource<Note[]>(wanted ? load : null);
}
