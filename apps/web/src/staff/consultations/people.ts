// Who takes part in a consultation, in words for the staff lists and the consultation's page.
import { isLead, type Consultation, type ConsultationState, type Participant } from '@dp/protocol';
import type { TFunction } from 'i18next';

// As ClientLinkModal.tsx says it (kept free of its styles, so that unit tests load this file).
const isClientRole = (role: Participant['role']) => role === 'client' || role === 'attendee';
const clientName = (t: TFunction, clients: Participant[], p: Participant) =>
  p.displayName ?? t('staff.clientLink.anonymous', { n: clients.indexOf(p) + 1 });

/** The lead staff (specialist, curator, host …) by name, in the order the server gives. */
export function staffNames(c: Pick<Consultation, 'participants'>): string[] {
  return c.participants.filter((p) => isLead(p.role) && p.displayName).map((p) => p.displayName!);
}

/** The clients by name («Клиент N» for an anonymous one); a webinar's audience as a count. */
export function clientNames(t: TFunction, c: Pick<Consultation, 'participants' | 'kind'>): string {
  const clients = c.participants.filter((p) => isClientRole(p.role));
  if (clients.length === 0) return '';
  if (c.kind === 'webinar' && clients.length > 2) return t('consultation.list.attendees', { count: clients.length });
  return clients.map((p) => clientName(t, clients, p)).join(', ');
}

/** The latest «не смогу» answer, if any (the lists' flag). */
export function latestAnswer(c: Pick<Consultation, 'clientAnswers'>): Consultation['clientAnswers'][number] | null {
  return c.clientAnswers.at(-1) ?? null;
}

export const STATE_COLOR: Record<ConsultationState, string> = {
  planned: 'sea',
  precheck: 'yellow',
  open: 'teal',
  live: 'teal',
  ended: 'gray',
  no_show: 'orange',
  failed: 'red',
  cancelled: 'gray',
};

/** The window a list asks for: from today on (4 weeks), or the past 8 weeks up to now (newest first). */
export function periodRange(period: 'upcoming' | 'past', now: Date): { from: Date; to: Date } {
  const DAY = 86_400_000;
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  return period === 'upcoming'
    ? { from: today, to: new Date(today.getTime() + 28 * DAY) }
    : { from: new Date(today.getTime() - 56 * DAY), to: now };
}
