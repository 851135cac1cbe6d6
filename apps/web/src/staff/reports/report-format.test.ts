import { describe, expect, it } from '@jest/globals';
import { reportFormSections, reportFormV1, reportSections } from '@dp/protocol';
import { dayText, figureText, fromPicker, monthText, pickerValue, sectionsOf } from './report-format.ts';

describe('the report screens’ formatting', () => {
  it('writes counts whole, averages and shares with one decimal, nothing as a dash', () => {
    expect(figureText(12, 'count', 'ru')).toBe('12');
    expect(figureText(4.56, 'average', 'ru')).toBe('4,6');
    expect(figureText(12.5, 'percent', 'ru')).toBe('12,5 %');
    expect(figureText(null, 'average', 'ru')).toBe('—');
  });

  it('groups the form’s rows by section in the form’s order', () => {
    const rows = reportFormV1.map((r) => ({ ...r, sectionLabel: reportFormSections[r.section] }));
    const sections = sectionsOf(rows);
    expect(sections.map((s) => s.section)).toEqual(Object.keys(reportSections));
    expect(sections.reduce((n, s) => n + s.rows.length, 0)).toBe(rows.length);
    expect(sections[0]).toMatchObject({ label: 'Консультации', rows: [{ key: 'consultations.held' }] });
  });

  it('turns the month picker’s value into a report month and back; days and months in words', () => {
    expect(fromPicker(pickerValue('2026-03'))).toBe('2026-03');
    expect(fromPicker(null)).toBeNull();
    expect(dayText('2026-03-25', 'ru')).toBe('25 марта 2026 г.');
    expect(monthText('2026-03', 'ru')).toBe('март 2026 г.');
  });
});
