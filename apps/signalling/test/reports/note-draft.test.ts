// The analytical note's draft and the department's totals: pure functions, no database.
import { describe, expect, it } from '@jest/globals';
import { reportFormV1 } from '@dp/protocol';
import { draftNote, feedbackMean, type NoteInput } from '../../src/reports/note-draft.ts';
import { addMonths, corrections, departmentTotals, onTimeShare } from '../../src/reports/totals.ts';

const base: NoteInput = {
  month: '2026-03',
  current: {
    'consultations.held': 120,
    'requests.received': 50,
    'requests.answered_on_time': 45,
    'requests.answered_late': 4,
    'requests.overdue_unanswered': 1,
    'feedback.answers': 10,
    'feedback.quality': 4.5,
    'feedback.usefulness': 4.7,
  },
  previous: { 'consultations.held': 100, 'requests.received': 50, 'requests.answered_on_time': 40, 'requests.answered_late': 10 },
  yearAgo: { 'consultations.held': 80, 'requests.received': 25 },
  institutions: [
    { name: 'КЦСОН А', held: 70, submitted: true, late: false },
    { name: 'КЦСОН Б', held: 40, submitted: true, late: true },
    { name: 'КЦСОН В', held: 10, submitted: false, late: true },
  ],
  institutionDueDate: '2026-03-25',
};

describe('draftNote', () => {
  const text = draftNote(base);

  it('names the month and compares with the previous month and the same month a year before', () => {
    expect(text).toContain('за март 2026 г.');
    expect(text).toContain('Проведено консультаций: 120 (в предыдущем месяце — 100, рост на 20 %; в марте 2025 г. — 80, рост на 50 %)');
    expect(text).toContain('Поступило обращений: 50 (в предыдущем месяце — 50, без изменений; в марте 2025 г. — 25, рост на 100 %)');
  });

  it('gives the on-time share in percentage points and the feedback mean', () => {
    // 45 of 50 due = 90 %; the month before 40 of 50 = 80 %.
    expect(text).toContain('ответили в срок: 90 % (в предыдущем месяце — 80 %, +10 п. п.)');
    expect(text).toContain('Средняя оценка по анкетам обратной связи (из 5): 4,6');
    expect(text).toContain('получено анкет: 10');
  });

  it('lists the institutions above and below the average of held consultations', () => {
    expect(text).toContain('Среднее число проведённых консультаций на учреждение: 40.');
    expect(text).toContain('Выше среднего: КЦСОН А (70).');
    expect(text).toContain('Ниже среднего: КЦСОН В (10).');
    expect(text).not.toMatch(/среднего:[^\n]*КЦСОН Б/);
  });

  it('names the deadlines missed: late reports and late answers', () => {
    expect(text).toContain('Не представили отчёт в срок (до 25.03.2026): КЦСОН Б (представлен позже), КЦСОН В.');
    expect(text).toContain('Обращений с ответом после срока: 4; срок истёк, ответа нет: 1.');
  });

  it('says plainly when there is nothing to compare or nothing missed', () => {
    const calm = draftNote({
      ...base,
      current: { 'consultations.held': 5 },
      previous: null,
      yearAgo: null,
      institutions: [{ name: 'КЦСОН А', held: 5, submitted: true, late: false }],
    });
    expect(calm).toContain('Проведено консультаций: 5.');
    expect(calm).toContain('Анкет обратной связи за месяц не получено.');
    expect(calm).toContain('Все учреждения, от которых ожидался отчёт, представили его в срок');
    expect(calm).toContain('На все обращения ответили в срок.');
    expect(calm).toContain('Доля обращений, на которые ответили в срок: нет данных.');
  });
});

describe('totals', () => {
  it('sums counts and weights averages by their counts', () => {
    const rows = reportFormV1.filter((r) =>
      ['consultations.held', 'quality.average_minutes', 'feedback.answers', 'feedback.quality'].includes(r.key),
    );
    const totals = departmentTotals(rows, [
      { 'consultations.held': 30, 'quality.average_minutes': 40, 'feedback.answers': 1, 'feedback.quality': 5 },
      { 'consultations.held': 10, 'quality.average_minutes': 20, 'feedback.answers': 3, 'feedback.quality': 3 },
      { 'consultations.held': 0, 'quality.average_minutes': null, 'feedback.answers': 0, 'feedback.quality': null },
    ]);
    // (40·30 + 20·10) / 40 = 35; (5·1 + 3·3) / 4 = 3.5 — not the plain means 30 and 4.
    expect(totals).toEqual({ 'consultations.held': 40, 'quality.average_minutes': 35, 'feedback.answers': 4, 'feedback.quality': 3.5 });
    expect(departmentTotals(rows, [])).toEqual({
      'consultations.held': 0,
      'quality.average_minutes': null,
      'feedback.answers': 0,
      'feedback.quality': null,
    });
  });

  it('lists corrections, moves months, computes the on-time share and the feedback mean', () => {
    const rows = reportFormV1.slice(0, 3);
    expect(
      corrections(
        rows,
        { 'consultations.held': 3, 'direction.specialist_client': 2 },
        { 'consultations.held': 4, 'direction.specialist_client': 2 },
      ),
    ).toEqual([{ key: 'consultations.held', label: 'Проведено консультаций', frozen: 3, live: 4 }]);
    expect([addMonths('2026-01', -1), addMonths('2026-03', -12), addMonths('2026-12', 1)]).toEqual(['2025-12', '2025-03', '2027-01']);
    expect(onTimeShare({ 'requests.answered_on_time': 2, 'requests.answered_late': 1 })).toBe(66.7);
    expect(onTimeShare({})).toBeNull();
    expect(feedbackMean({ 'feedback.quality': 4, 'feedback.comfort': 5, 'feedback.clarity': null })).toBe(4.5);
  });
});
