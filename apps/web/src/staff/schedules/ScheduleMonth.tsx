import { Alert, Badge, Button, Group, List, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { MonthSchedule, ScheduleBlock, ScheduleSuggestionSource } from '@dp/protocol';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api.ts';
import { errorText, formatDateTime } from '../format.ts';
import { DayEditor } from './DayEditor.tsx';
import { ScheduleCalendar } from './ScheduleCalendar.tsx';
import classes from './schedules.module.css';
import { blocksOn, changedDates, firstProblemDate, withDay } from './schedule-blocks.ts';

const badgeClasses = { root: classes.badge, label: classes.badgeLabel };
/** Long Russian labels wrap on a phone instead of being cut off. */
const buttonClasses = { root: classes.wrapButton, label: classes.wrapLabel };

type Notice = { color: 'teal' | 'red' | 'orange'; text: string } | null;

/**
 * One specialist's month: the calendar, the selected day's hours, the status and the actions
 * the caller's role has (save, approve; once approved: propose a correction, or, for a head,
 * approve / reject it or change the month urgently).
 */
export function ScheduleMonth({
  institutionId,
  specialistId,
  month,
  timeZone,
  approver,
  isDayOff,
}: {
  institutionId: string;
  specialistId: string;
  month: string;
  timeZone: string;
  /** A head or admin: approves, decides corrections, changes urgently. */
  approver: boolean;
  isDayOff: (date: string) => boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const params = useMemo(() => ({ institutionId, specialistId, month }), [institutionId, specialistId, month]);
  const [schedule, setSchedule] = useState<MonthSchedule | null | undefined>(undefined);
  const [draft, setDraft] = useState<ScheduleBlock[]>([]);
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [urgentOpen, setUrgentOpen] = useState(false);

  const show = useCallback((next: MonthSchedule | null) => {
    setSchedule(next);
    setDraft(next?.correction?.blocks ?? next?.blocks ?? []);
    setDirty(false);
  }, []);

  useEffect(() => {
    let live = true;
    setSchedule(undefined);
    setNotice(null);
    setSelected(null);
    api.call('schedules.get', params).then(
      (s) => live && show(s),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.code === 'not_found') show(null);
        else setNotice({ color: 'red', text: errorText(t, e) });
      },
    );
    return () => {
      live = false;
    };
  }, [params, show, t]);

  const failure = (e: unknown): Notice => {
    if (e instanceof ApiError && e.code === 'conflict') {
      const booked = (e.details as { consultations?: { start: string; durationMinutes: number }[] } | undefined)?.consultations;
      if (booked) {
        const list = booked.map((c) => formatDateTime(c.start, lang, timeZone)).join('; ');
        return { color: 'red', text: t('schedules.bookedConflict', { list }) };
      }
      return { color: 'red', text: t('schedules.notApproved') };
    }
    if (e instanceof ApiError && e.code === 'not_found') return { color: 'red', text: t('schedules.gone') };
    return { color: 'red', text: errorText(t, e) };
  };

  /** Runs an action: a problem in the hours stops it first; the answer replaces the month. */
  const run = async (name: string, action: () => Promise<MonthSchedule>, done: string, check = true) => {
    const bad = check ? firstProblemDate(draft) : null;
    if (bad) {
      setSelected(bad);
      setNotice({ color: 'red', text: t('schedules.fixFirst', { date: dateWords(bad) }) });
      return;
    }
    setBusy(name);
    try {
      show(await action());
      setNotice({ color: 'teal', text: t(`schedules.done.${done}`) });
    } catch (e) {
      setNotice(failure(e));
    } finally {
      setBusy(null);
    }
  };

  const dateWords = (date: string) =>
    new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

  const put = () => api.call('schedules.put', params, { blocks: draft });
  const save = () => run('save', put, 'saved');
  const approve = () =>
    run(
      'approve',
      async () => {
        if (dirty || !schedule) await put();
        return api.call('schedules.approve', params, {});
      },
      'approved',
    );
  const propose = () => run('propose', put, 'proposed');
  const urgent = () => {
    setUrgentOpen(false);
    void run('urgent', () => api.call('schedules.change_urgently', params, { blocks: draft }), 'urgent');
  };
  const approveCorrection = () =>
    run('approveCorrection', () => api.call('schedules.approve_correction', params, {}), 'correctionApproved', false);
  const rejectCorrection = () =>
    run('rejectCorrection', () => api.call('schedules.reject_correction', params, {}), 'correctionRejected', false);

  const suggest = async (source: ScheduleSuggestionSource) => {
    setBusy(source);
    try {
      const answer = await api.call('schedules.suggest', params, { source });
      if (answer.blocks.length === 0) {
        setNotice({ color: 'orange', text: t('schedules.copiedNothing') });
        return;
      }
      setDraft(answer.blocks);
      setDirty(true);
      setNotice({ color: 'teal', text: t('schedules.filled') });
    } catch (e) {
      setNotice(failure(e));
    } finally {
      setBusy(null);
    }
  };

  const approved = schedule?.status === 'approved';
  // One action at a time: «Утвердить» pressed while «Сохранить» is still on its way would send
  // the month twice and could leave it a draft (a slow mobile link makes this likely).
  const running = busy !== null;
  const correction = schedule?.correction ?? null;
  // Against the approved hours: what the correction (or unsaved edits of an approved month) changes.
  const changed = useMemo(() => (approved ? changedDates(schedule.blocks, draft) : new Set<string>()), [approved, schedule, draft]);

  if (schedule === undefined) {
    return notice ? (
      <Alert color="red" role="alert">
        {notice.text}
      </Alert>
    ) : (
      <Text c="dimmed">…</Text>
    );
  }

  const editDay = (day: ScheduleBlock[]) => {
    if (!selected) return;
    setDraft((all) => withDay(all, selected, day));
    setDirty(true);
  };

  return (
    <Stack gap="md">
      <Group gap="xs" wrap="wrap" data-testid="schedule-status" aria-live="polite">
        {!schedule && (
          <Badge size="lg" variant="dot" color="gray" tt="none" classNames={badgeClasses}>
            {t('schedules.status.new')}
          </Badge>
        )}
        {schedule?.status === 'draft' && (
          <Badge size="lg" variant="dot" color="gray" tt="none" classNames={badgeClasses}>
            {t('schedules.status.draft')}
          </Badge>
        )}
        {approved && (
          <Badge size="lg" variant="dot" color="teal" tt="none" classNames={badgeClasses}>
            {t('schedules.status.approved', {
              date: schedule.approvedAt ? formatDateTime(schedule.approvedAt, lang, timeZone) : '',
              name: schedule.approvedByName ?? '',
            })}
          </Badge>
        )}
        {correction && (
          <Badge size="lg" variant="dot" color="orange" tt="none" classNames={badgeClasses}>
            {t('schedules.status.correction')}
          </Badge>
        )}
      </Group>
      {correction && (
        <Alert color="orange" data-testid="schedule-correction">
          {t('schedules.correctionInfo', { date: formatDateTime(correction.proposedAt, lang, timeZone), name: correction.proposedByName })}
        </Alert>
      )}
      {notice && (
        <Alert color={notice.color} role={notice.color === 'red' ? 'alert' : 'status'} data-testid="schedule-notice">
          {notice.text}
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="sm">
          <ScheduleCalendar month={month} blocks={draft} changed={changed} isDayOff={isDayOff} selected={selected} onSelect={setSelected} />
        </Stack>
        <Stack gap="sm">
          {selected ? (
            <DayEditor
              date={selected}
              blocks={blocksOn(draft, selected)}
              inForce={approved && changed.has(selected) ? blocksOn(schedule.blocks, selected) : null}
              dayOff={isDayOff(selected)}
              editable
              onChange={editDay}
            />
          ) : null}
          <Group gap="sm" wrap="wrap">
            <Button
              classNames={buttonClasses}
              variant="default"
              size="md"
              loading={busy === 'previous_month'}
              disabled={running}
              onClick={() => void suggest('previous_month')}
              data-testid="schedule-copy-previous"
            >
              {t('schedules.copyPrevious')}
            </Button>
            <Button
              classNames={buttonClasses}
              variant="default"
              size="md"
              loading={busy === 'working_hours'}
              disabled={running}
              onClick={() => void suggest('working_hours')}
              data-testid="schedule-fill-hours"
            >
              {t('schedules.fillHours')}
            </Button>
          </Group>
          {dirty && <Text c="orange.9">{t('schedules.unsaved')}</Text>}
          <Group gap="sm" wrap="wrap">
            {!approved && (
              <Button
                classNames={buttonClasses}
                size="md"
                variant={approver ? 'default' : 'filled'}
                loading={busy === 'save'}
                disabled={!dirty || running}
                onClick={() => void save()}
                data-testid="schedule-save"
              >
                {t('schedules.save')}
              </Button>
            )}
            {!approved && approver && (
              <Button
                classNames={buttonClasses}
                size="md"
                loading={busy === 'approve'}
                disabled={(!schedule && !dirty) || running}
                onClick={() => void approve()}
                data-testid="schedule-approve"
              >
                {t('schedules.approve')}
              </Button>
            )}
            {approved && (
              <Button
                classNames={buttonClasses}
                size="md"
                loading={busy === 'propose'}
                disabled={!dirty || running}
                onClick={() => void propose()}
                data-testid="schedule-propose"
              >
                {t('schedules.propose')}
              </Button>
            )}
            {approved && approver && (
              <Button
                classNames={buttonClasses}
                size="md"
                variant="default"
                color="red"
                disabled={!dirty || running}
                loading={busy === 'urgent'}
                onClick={() => setUrgentOpen(true)}
                data-testid="schedule-urgent"
              >
                {t('schedules.urgent')}
              </Button>
            )}
          </Group>
          {correction && approver && (
            <Group gap="sm" wrap="wrap">
              <Button
                classNames={buttonClasses}
                size="md"
                disabled={dirty || running}
                loading={busy === 'approveCorrection'}
                onClick={() => void approveCorrection()}
                data-testid="schedule-approve-correction"
              >
                {t('schedules.approveCorrection')}
              </Button>
              <Button
                classNames={buttonClasses}
                size="md"
                variant="default"
                disabled={dirty || running}
                loading={busy === 'rejectCorrection'}
                onClick={() => void rejectCorrection()}
                data-testid="schedule-reject-correction"
              >
                {t('schedules.rejectCorrection')}
              </Button>
            </Group>
          )}
          {schedule && schedule.history.length > 0 && (
            <Stack gap={4} data-testid="schedule-history">
              <Title order={3} size="h5">
                {t('schedules.history.title')}
              </Title>
              <List size="sm" spacing={2}>
                {schedule.history.map((c) => (
                  <List.Item key={c.id}>
                    {t(`schedules.history.${c.status === 'approved' ? 'approved' : 'rejected'}`, {
                      date: c.decidedAt ? formatDateTime(c.decidedAt, lang, timeZone) : '',
                      name: c.decidedByName ?? '',
                    })}{' '}
                    ({t('schedules.history.proposed', { date: formatDateTime(c.proposedAt, lang, timeZone), name: c.proposedByName })})
                  </List.Item>
                ))}
              </List>
            </Stack>
          )}
        </Stack>
      </SimpleGrid>

      <Modal opened={urgentOpen} onClose={() => setUrgentOpen(false)} title={t('schedules.urgentTitle')} centered>
        <Stack gap="md">
          <Text>{t('schedules.urgentText')}</Text>
          <Group justify="flex-end" gap="sm">
            <Button classNames={buttonClasses} variant="default" size="md" onClick={() => setUrgentOpen(false)}>
              {t('schedules.cancel')}
            </Button>
            <Button color="red" size="md" onClick={urgent} data-testid="schedule-urgent-confirm">
              {t('schedules.urgentConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
