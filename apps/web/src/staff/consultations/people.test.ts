import { describe, expect, it } from '@jest/globals';
import type { Consultation } from '@dp/protocol';
import type { TFunction } from 'i18next';
import { clientNames, latestAnswer, periodRange, staffNames } from './people.ts';

const t = ((key: string, o?: Record<string, unknown>) => `${key}${o ? JSON.stringify(o) : ''}`) as unknown as TFunction;
const p = (role: Consultation['participants'][number]['role'], displayName: string | null, id = `${role}-${displayName}`) => ({
  id,
  role,
  staffUserId: null,
  displayName,
  email: null,
});

describe('names in the consultation lists', () => {
  it('names the lead staff and the clients, an anonymous client by number', () => {
    const c = { kind: 'dyad' as const, participants: [p('curator', 'Ирина Петрова'), p('client', 'Анна'), p('client', null)] };
    expect(staffNames(c)).toEqual(['Ирина Петрова']);
    expect(clientNames(t, c)).toBe('Анна, staff.clientLink.anonymous{"n":2}');
  });

  it('counts a webinar audience instead of listing it', () => {
    const c = { kind: 'webinar' as const, participants: [p('host', 'Х'), p('attendee', 'a'), p('attendee', 'b'), p('attendee', 'c')] };
    expect(clientNames(t, c)).toBe('consultation.list.attendees{"count":3}');
  });

  it('flags the latest answer only', () => {
    const a = (kind: 'cannot_come' | 'other_time', createdAt: string) => ({
      id: createdAt,
      participantId: 'x',
      kind,
      note: null,
      createdAt,
    });
    expect(latestAnswer({ clientAnswers: [] })).toBeNull();
    expect(latestAnswer({ clientAnswers: [a('cannot_come', '1'), a('other_time', '2')] })?.kind).toBe('other_time');
  });

  it('asks for four weeks ahead, or eight weeks back up to now', () => {
    const now = new Date(2026, 2, 10, 15, 30);
    const up = periodRange('upcoming', now);
    expect(up.from).toEqual(new Date(2026, 2, 10));
    expect(up.to.getTime() - up.from.getTime()).toBe(28 * 86_400_000);
    const past = periodRange('past', now);
    expect(past.to).toEqual(now);
    expect(past.from).toEqual(new Date(2026, 0, 13));
  });
});
