import { describe, expect, it } from '@jest/globals';
import i18next, { type TFunction } from 'i18next';
import { readFileSync } from 'node:fs';
import { namedParams, peerLabel, roleLabel } from './peer-label.ts';

// Read as files: the test transform would drop JSON import attributes.
const locale = (lng: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../locales/${lng}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

async function translator(lng: 'ru' | 'en'): Promise<TFunction> {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: { ru: { translation: locale('ru') }, en: { translation: locale('en') } },
    lng,
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}

describe('peerLabel: what the page calls a participant', () => {
  it('shows a webinar attendee whose name the server withholds as «Участник N» / "Participant N"', async () => {
    const ru = await translator('ru');
    const en = await translator('en');
    const other = { label: '', role: 'attendee', number: 3 } as const;
    expect(peerLabel(other, ru)).toBe('Участник 3');
    expect(peerLabel(other, en)).toBe('Participant 3');
  });

  it('shows a name the server sent, and the role for someone without a name or a number', async () => {
    const ru = await translator('ru');
    expect(peerLabel({ label: 'Соколова И. В.', role: 'host', number: null }, ru)).toBe('Соколова И. В.');
    expect(peerLabel({ label: 'Анна', role: 'attendee', number: 2 }, ru)).toBe('Анна'); // a host's view
    expect(peerLabel({ label: '  ', role: 'specialist', number: null }, ru)).toBe('Специалист');
  });

  it('writes an attendee’s number beside its name (a host’s view), the role beside everyone else’s', async () => {
    const ru = await translator('ru');
    expect(roleLabel({ label: 'Анна', role: 'attendee', number: 2 }, ru)).toBe('Участник 2');
    expect(roleLabel({ label: 'Соколова И. В.', role: 'host', number: null }, ru)).toBe('Ведущий');
  });

  it('carries the number into a status sentence', () => {
    expect(namedParams({ label: '', role: 'attendee', number: 4 })).toEqual({ label: '', role: 'attendee', number: '4' });
    expect(namedParams({ label: 'Куратор', role: 'curator', number: null })).toEqual({ label: 'Куратор', role: 'curator' });
  });
});
