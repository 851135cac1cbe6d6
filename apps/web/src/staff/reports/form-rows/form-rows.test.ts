import { describe, expect, it } from '@jest/globals';
import type { ReportRow } from '@dp/protocol';
import { drillable } from '../report-format.ts';
import { draftChanged, draftErrors, labelProblem } from './form-draft.ts';
import { inputErrors, inputsBody, manualEditable, manualRows } from './manual-figures.ts';

const trips: ReportRow = {
  key: 'custom.ab12cd34',
  section: 'extra',
  sectionLabel: 'Дополнительно',
  label: 'Выезды',
  kind: 'count',
  manual: true,
};
const homes: ReportRow = { ...trips, key: 'custom.ef56gh78', label: 'Выезды на дом' };
const held: ReportRow = {
  key: 'consultations.held',
  section: 'consultations',
  sectionLabel: 'Консультации',
  label: 'Проведено консультаций',
  kind: 'count',
};

describe('the hand-entered rows of a month', () => {
  it('are the manual rows, editable only while the month is open, never drilled into', () => {
    expect(manualRows({ rows: [held, trips, homes] })).toEqual([trips, homes]);
    expect(manualEditable({ status: 'not_submitted', canSubmit: true })).toBe(true);
    expect(manualEditable({ status: 'returned', canSubmit: true })).toBe(true);
    expect(manualEditable({ status: 'submitted', canSubmit: false })).toBe(false);
    expect(manualEditable({ status: 'not_submitted', canSubmit: false })).toBe(false);
    expect([drillable(held), drillable(trips)]).toEqual([true, false]);
  });

  it('sends numbers by key, an empty field as null; puts the server’s errors on the fields by index', () => {
    expect(inputsBody([trips, homes], [7, ''])).toEqual({ values: { 'custom.ab12cd34': 7, 'custom.ef56gh78': null } });
    expect(inputsBody([trips], ['1 200'])).toEqual({ values: { 'custom.ab12cd34': 1200 } });
    expect(inputErrors([trips, homes], { 'values.custom.ef56gh78': 'Не меньше 0', 'values.other': 'x' })).toEqual({
      'figures.1': 'Не меньше 0',
    });
  });
});

describe('the form editor’s draft', () => {
  const state = { builtIn: [held], added: [{ key: trips.key, section: 'extra' as const, sectionLabel: 'Дополнительно', label: 'Выезды' }] };

  it('checks a new row’s name: length and a twin in the same section (any case and spacing)', () => {
    expect(labelProblem(' аб ', 'extra', state, [])).toBe('tooShort');
    expect(labelProblem('я'.repeat(201), 'extra', state, [])).toBe('tooLong');
    expect(labelProblem('  проведено   КОНСУЛЬТАЦИЙ ', 'consultations', state, [])).toBe('duplicate');
    expect(labelProblem('Проведено консультаций', 'extra', state, [])).toBeNull();
    expect(labelProblem('выезды', 'extra', state, [{ section: 'extra', label: 'Выезды' }])).toBe('duplicate');
  });

  it('knows when the draft differs and reads the server’s row errors', () => {
    expect(draftChanged(state, [{ key: trips.key, section: 'extra', label: 'Выезды' }])).toBe(false);
    expect(draftChanged(state, [])).toBe(true);
    expect(
      draftChanged(state, [
        { key: trips.key, section: 'extra', label: 'Выезды' },
        { section: 'topic', label: 'Новая' },
      ]),
    ).toBe(true);
    expect(
      draftErrors({ 'rows.1.label': 'Такая строка в этом разделе уже есть', 'rows.1.key': 'Такой строки в форме нет', baseVersion: 'x' }),
    ).toEqual({
      1: 'Такая строка в этом разделе уже есть',
    });
  });
});
