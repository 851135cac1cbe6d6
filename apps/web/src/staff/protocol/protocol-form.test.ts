import { describe, expect, it } from '@jest/globals';
import i18next, { type TFunction } from 'i18next';
import { readFileSync } from 'node:fs';
import { ApiError } from '../api.ts';
import { bodyOf, fieldErrors, sizeText, validate, valuesOf } from './protocol-form.ts';

// The protocol form's body and its Russian field errors, from the server's 400 details.

async function ru(): Promise<TFunction> {
  const i18n = i18next.createInstance();
  const translation = JSON.parse(readFileSync(new URL('../../locales/ru.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  await i18n.init({ resources: { ru: { translation } }, lng: 'ru', interpolation: { escapeValue: false } });
  return i18n.t;
}

describe('the protocol form', () => {
  it('sends trimmed texts, null for empty ones, and leaves out the empty link rows', () => {
    const body = bodyOf(
      {
        reason: '  Повод ',
        topic: 'family',
        solution: '   ',
        materials: [
          { title: '', url: '' },
          { title: ' Памятка ', url: ' https://example.org/a ' },
        ],
      },
      3,
    );
    expect(body).toEqual({
      version: 3,
      reason: 'Повод',
      topic: 'family',
      solution: null,
      materials: [{ title: 'Памятка', url: 'https://example.org/a' }],
    });
  });

  it('a new protocol starts from the booked topic', () => {
    expect(valuesOf(null, 'crisis')).toEqual({ reason: '', topic: 'crisis', solution: '', materials: [] });
  });

  it('checks links and lengths before sending, in Russian', async () => {
    const t = await ru();
    expect(
      validate(t, { reason: 'я'.repeat(10_001), topic: null, solution: '', materials: [{ title: 'Скрипт', url: 'javascript:alert(1)' }] }),
    ).toEqual({ reason: 'Не длиннее 10 000 знаков', 'materials.0.url': 'Ссылка должна начинаться с http:// или https://' });
  });

  it("puts the server's 400 details on the fields, in Russian; other errors are not field errors", async () => {
    const t = await ru();
    const e = new ApiError('bad_request', 400, 'x', {
      reason: 'Too big: expected string to have <=10000 characters',
      topic: 'Invalid option',
      solution: 'required to finalize',
      'materials.2.url': 'a link starting with http:// or https://',
    });
    expect(fieldErrors(t, e)).toEqual({
      reason: 'Не длиннее 10 000 знаков',
      topic: 'Выберите тематику из списка',
      solution: 'Заполните, чтобы оформить протокол',
      'materials.2.url': 'Ссылка должна начинаться с http:// или https://',
    });
    expect(fieldErrors(t, new ApiError('conflict', 409, 'stale', { currentVersion: 2 }))).toBeNull();
  });

  it('says sizes in bytes, КБ and МБ', () => {
    expect([sizeText('ru', 46), sizeText('ru', 2048), sizeText('ru', 10 * 1024 * 1024)]).toEqual(['46 Б', '2 КБ', '10 МБ']);
  });
});
