// The monthly report's form (информация о работе «дистанционной приёмной»). The seeds leave
// its cells to the resource centre (order 313-р § 4.2): this is the default form, version 1.
// A submitted month keeps the version it was computed with, so a later version may add rows
// without changing old months. Row keys are stable: figures are stored by them.

export type ReportFigureKind = 'count' | 'average' | 'percent';

export interface ReportFormRow {
  key: string;
  /** The section the row belongs to (a heading on screen and in the export). */
  section: ReportFormSection;
  /** The row's name in the form, Russian (the form is an official document). */
  label: string;
  kind: ReportFigureKind;
  /** A row the department added (report_form_versions): the head enters its figure by hand. */
  manual?: boolean;
}

export const reportSections = {
  consultations: 'Консультации',
  direction: 'По направлению',
  kind: 'По виду',
  topic: 'По тематике',
  recurrence: 'Первичные и повторные',
  channel: 'По каналу обращения',
  form: 'По форме проведения',
  requests: 'Обращения',
  refusals: 'Отказы',
  problems: 'Неявки, сбои и переносы',
  quality: 'Длительность и качество связи',
  feedback: 'Анкеты обратной связи',
} as const;
export type ReportSection = keyof typeof reportSections;

/** Where a department's added row may go: a built-in section, or one of its own after them. */
export const reportFormSections = { ...reportSections, extra: 'Дополнительно' } as const;
export type ReportFormSection = keyof typeof reportFormSections;

const row = (section: ReportSection, key: string, label: string, kind: ReportFigureKind = 'count'): ReportFormRow => ({
  key,
  section,
  label,
  kind,
});

/** Version 1: the list issue 18 names. */
export const reportFormV1: readonly ReportFormRow[] = [
  row('consultations', 'consultations.held', 'Проведено консультаций'),
  row('direction', 'direction.specialist_client', 'Специалист — клиент'),
  row('direction', 'direction.specialist_specialist', 'Специалист — специалист'),
  row('direction', 'direction.client_client', 'Клиент — клиент'),
  row('kind', 'kind.one_to_one', 'Индивидуальные'),
  row('kind', 'kind.webinar', 'Групповые (вебинары)'),
  row('kind', 'kind.dyad', 'Диады'),
  row('topic', 'topic.family', 'Семейные проблемы'),
  row('topic', 'topic.personal', 'Личностные проблемы'),
  row('topic', 'topic.social_maladjustment', 'Социальная дезадаптация'),
  row('topic', 'topic.interpersonal', 'Межличностные проблемы'),
  row('topic', 'topic.learning', 'Проблемы в обучении'),
  row('topic', 'topic.crisis', 'Кризисные ситуации'),
  row('topic', 'topic.legal_aid', 'Правовая помощь'),
  row('topic', 'topic.unset', 'Тематика не указана'),
  row('recurrence', 'recurrence.first', 'Первичные'),
  row('recurrence', 'recurrence.repeat', 'Повторные'),
  row('channel', 'channel.phone', 'Телефон'),
  row('channel', 'channel.email', 'Электронная почта'),
  row('channel', 'channel.messenger', 'Мессенджер'),
  row('channel', 'channel.visit', 'Личный приём'),
  row('channel', 'channel.video_link', 'Видеосвязь'),
  row('channel', 'channel.sms', 'SMS'),
  row('channel', 'channel.none', 'Без обращения (плановые)'),
  row('form', 'form.online_video', 'Онлайн, с видео'),
  row('form', 'form.online_audio', 'Онлайн, только звук'),
  row('form', 'form.phone', 'По телефону'),
  row('form', 'form.email', 'По электронной почте'),
  row('requests', 'requests.received', 'Поступило обращений'),
  row('requests', 'requests.answered_on_time', 'Отвечено в срок'),
  row('requests', 'requests.answered_late', 'Отвечено с нарушением срока'),
  row('requests', 'requests.overdue_unanswered', 'Срок истёк, ответа нет'),
  row('refusals', 'refusals.outside_competence', 'Отказ: вне компетенции специалистов'),
  row('refusals', 'refusals.unethical_or_aggressive_behaviour', 'Отказ: неэтичное или агрессивное поведение'),
  row('problems', 'problems.no_show', 'Неявки'),
  row('problems', 'problems.technical_failure', 'Технические сбои'),
  row('problems', 'problems.rescheduled', 'Переносы'),
  row('problems', 'problems.cancelled', 'Отмены'),
  row('quality', 'quality.average_minutes', 'Средняя фактическая длительность, мин', 'average'),
  row('quality', 'quality.poor_share', 'Доля консультаций с плохой связью, %', 'percent'),
  row('feedback', 'feedback.answers', 'Получено анкет'),
  row('feedback', 'feedback.quality', 'Качество консультации', 'average'),
  row('feedback', 'feedback.topic_match', 'Соответствие темы проблеме', 'average'),
  row('feedback', 'feedback.comfort', 'Эмоциональный комфорт', 'average'),
  row('feedback', 'feedback.clarity', 'Понятность рекомендаций', 'average'),
  row('feedback', 'feedback.usefulness', 'Полезность', 'average'),
  row('feedback', 'feedback.state_improved', 'Улучшение эмоционального состояния', 'average'),
  row('feedback', 'feedback.specialist_work', 'Работа специалиста', 'average'),
];

/**
 * The built-in versions by number (today only 1). A department's own versions (2, 3 …: the
 * built-in rows plus the rows it added, entered by hand) are stored per department in
 * report_form_versions (apps/signalling/src/reports/form-versions.ts); never edited in place.
 */
export const reportForms: Readonly<Record<number, readonly ReportFormRow[]>> = { 1: reportFormV1 };
export const CURRENT_REPORT_FORM_VERSION = 1;

/** A month's figures by row key (null: nothing to average, e.g. no feedback that month). */
export type ReportFigures = Record<string, number | null>;
