import { describe, expect, it } from '@jest/globals';
import i18next, { type TFunction } from 'i18next';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { StaffNoticeKind } from '@dp/protocol';
import { actionText, detailsText, KNOWN_ACTIONS } from './audit-text.ts';

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

const SIGNALLING = new URL('../../../signalling/src/', import.meta.url);

function sources(dir: URL): string[] {
  return readdirSync(dir).flatMap((name) => {
    const url = new URL(name, dir);
    if (statSync(url).isDirectory()) return sources(new URL(`${name}/`, dir));
    return name.endsWith('.ts') ? [readFileSync(url, 'utf8')] : [];
  });
}

/** Every action the server writes: `action: 'a.b'` (also in a ternary) and `notification.${what}`. */
function serverActions(): string[] {
  const found = new Set<string>();
  for (const text of sources(SIGNALLING)) {
    for (const line of text.split('\n')) {
      if (!/\baction: /.test(line)) continue;
      for (const m of line.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) found.add(m[1]!);
    }
    // The in-app notices (timetable/staff-notices.ts): one `notification.<kind>` row per kind.
    if (text.includes('action: `notification.${what}`')) {
      for (const kind of StaffNoticeKind.options) found.add(`notification.${kind}`);
    }
  }
  return [...found].sort();
}

describe('audit log in words', () => {
  const actions = serverActions();

  it('finds the actions the server writes', () => {
    expect(actions).toEqual(
      expect.arrayContaining(['auth.sign_in', 'consultation.note_added', 'staff.role_changed', 'notification.technical_failure']),
    );
    expect(actions.length).toBeGreaterThan(30);
  });

  it.each(['ru', 'en'] as const)('every server action has %s words and a place in the filter', async (lng) => {
    const t = await translator(lng);
    const missing = actions.filter((a) => !t(`staff.actions.${a}`, { defaultValue: '' }));
    expect(missing).toEqual([]);
    expect(actions.filter((a) => !(KNOWN_ACTIONS as readonly string[]).includes(a))).toEqual([]);
  });

  it('an unknown action reads as words, never its code', async () => {
    const t = await translator('ru');
    expect(actionText(t, 'consultation.note_added')).toBe('Добавлена заметка к консультации');
    expect(actionText(t, 'consultation.something_new')).toBe('Другое действие: Консультации (все)');
    expect(actionText(t, 'mystery.thing')).toBe('Другое действие');
  });

  it('details show labels and values in Russian, not keys and codes', async () => {
    const t = await translator('ru');
    const text = detailsText(t, 'ru', {
      secondFactor: false,
      stage: 'active',
      from: 'specialist',
      to: 'head',
      state: 'live',
      consultationId: '0190a5b2-1c2d-7e3f-8a9b-0c1d2e3f4a5b',
      fields: ['status', 'result'],
      somethingNew: 'weird_code',
    });
    expect(text).toBe(
      'Второй фактор: нет; Этап входа: вход выполнен; Было: Специалист; Стало: Руководитель учреждения; Состояние: Идёт; ' +
        'Консультация: № 0190a5b2; Изменены поля: статус, результат; Другое: другое значение',
    );
    expect(text).not.toMatch(/[a-z]+_[a-z]+|secondFactor|stage/);
  });
});
