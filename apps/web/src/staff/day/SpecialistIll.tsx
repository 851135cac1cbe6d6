// «Специалист заболел» on the day board: the head (or admin) chooses the specialist and the day,
// sees for each of their consultations who takes it (or its new time) and confirms all at once.
// The server does it all or nothing (consultations.specialist_absence); the clients are e-mailed
// «по болезни специалиста», families without e-mail appear in «Позвонить сегодня».
import { Alert, Button, Group, Modal, Paper, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import type { AbsenceItem, AbsenceMode, StaffMember } from '@dp/protocol';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText, labelOr } from '../format.ts';
import { shiftDate } from './day-date.ts';

interface Props {
  institutionId: string;
  /** The board's day (the institution's local date). */
  date: string;
  timeZone: string;
  /** After a change: the board reloads. */
  onDone: () => void;
}

export function SpecialistIll({ institutionId, date, timeZone, onDone }: Props) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const phone = useMediaQuery('(max-width: 36em)');
  return (
    <>
      <Button variant="light" color="orange" size="md" onClick={() => setOpened(true)} data-testid="day-ill">
        {t('ill.open')}
      </Button>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={t('ill.title')}
        size="lg"
        fullScreen={phone}
        closeButtonProps={{ 'aria-label': t('ill.close') }}
      >
        {opened && <IllForm institutionId={institutionId} date={date} timeZone={timeZone} onDone={onDone} />}
      </Modal>
    </>
  );
}

function IllForm({ institutionId, date: boardDate, timeZone, onDone }: Props) {
  const { t, i18n } = useTranslation();
  const [specialists, setSpecialists] = useState<StaffMember[] | null>(null);
  const [specialistId, setSpecialistId] = useState<string | null>(null);
  const [date, setDate] = useState(boardDate);
  const [mode, setMode] = useState<AbsenceMode>('reassign');
  const [toDate, setToDate] = useState(shiftDate(boardDate, 7));
  const [items, setItems] = useState<AbsenceItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    api.call('staff.list', { institutionId }, { role: 'specialist' }).then(
      (r) => live && setSpecialists(r.staff.filter((s) => s.active)),
      (e: unknown) => live && setError(errorText(t, e)),
    );
    return () => {
      live = false;
    };
  }, [institutionId, t]);

  const body = specialistId && date ? { specialistId, date, mode, ...(mode === 'move' ? { toDate } : {}) } : null;
  useEffect(() => {
    if (!specialistId || !date || done !== null) return;
    let live = true;
    setItems(null);
    const preview = { specialistId, date, mode, ...(mode === 'move' ? { toDate } : {}), preview: true };
    api.call('consultations.specialist_absence', { institutionId }, preview).then(
      (r) => {
        if (!live) return;
        setItems(r.items);
        setError(null);
      },
      (e: unknown) => live && setError(errorText(t, e)),
    );
    return () => {
      live = false;
    };
  }, [specialistId, date, mode, toDate, institutionId, done, t]);

  const time = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));
  const dateTime = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone }).format(
      new Date(iso),
    );
  const blocked = !items || items.length === 0 || items.some((i) => i.problem !== null);

  const confirm = async () => {
    if (!body) return;
    setBusy(true);
    try {
      const r = await api.call('consultations.specialist_absence', { institutionId }, { ...body, preview: false });
      setDone(r.items.length);
      setError(null);
      onDone();
    } catch (e) {
      setError(errorText(t, e, { conflict: t('ill.conflict') }));
    } finally {
      setBusy(false);
    }
  };

  if (done !== null) {
    return (
      <Alert color="green" title={t('ill.doneTitle')} data-testid="ill-done">
        <Text>{t(mode === 'reassign' ? 'ill.doneReassigned' : 'ill.doneMoved', { count: done })}</Text>
        <Text mt="xs">{t('ill.doneCall')}</Text>
      </Alert>
    );
  }

  return (
    <Stack gap="md">
      <Select
        label={t('ill.specialist')}
        placeholder={specialists ? t('ill.choose') : t('staff.loading')}
        data={(specialists ?? []).map((s) => ({ value: s.id, label: s.displayName }))}
        value={specialistId}
        onChange={setSpecialistId}
        searchable
        size="md"
        data-testid="ill-specialist"
      />
      <TextInput
        type="date"
        label={t('ill.date')}
        value={date}
        onChange={(e) => setDate(e.currentTarget.value)}
        size="md"
        data-testid="ill-date"
      />
      <Radio.Group label={t('ill.mode')} value={mode} onChange={(v) => setMode(v as AbsenceMode)} size="md">
        <Stack gap="xs" mt="xs">
          <Radio value="reassign" label={t('ill.reassign')} data-testid="ill-mode-reassign" />
          <Radio value="move" label={t('ill.move')} data-testid="ill-mode-move" />
        </Stack>
      </Radio.Group>
      {mode === 'move' && (
        <TextInput
          type="date"
          label={t('ill.toDate')}
          description={t('ill.toDateHint')}
          value={toDate}
          onChange={(e) => setToDate(e.currentTarget.value)}
          size="md"
          data-testid="ill-to-date"
        />
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {body && !items && !error && <Text c="gray.7">{t('staff.loading')}</Text>}
      {items && items.length === 0 && <Text data-testid="ill-none">{t('ill.none')}</Text>}
      {items && items.length > 0 && (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('ill.list')}>
          {items.map((i) => (
            <Paper key={i.consultation.id} component="li" withBorder p="sm" radius="md" data-testid="ill-preview-row">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Text fw={600}>
                  {time(i.consultation.start)} ·{' '}
                  {i.consultation.participants
                    .filter((p) => p.role === 'client' || p.role === 'attendee')
                    .map((p) => p.displayName ?? t('ill.client'))
                    .join(', ')}
                </Text>
                {i.problem === null ? (
                  <Text c="green.9">→ {i.newSpecialist ? i.newSpecialist.displayName : i.newStart ? dateTime(i.newStart) : ''}</Text>
                ) : (
                  <Text c="red.9" fw={600}>
                    {i.problem === 'nobody_free'
                      ? t('ill.nobody')
                      : t('ill.timeNotFree', { reasons: i.violations.map((v) => labelOr(t, 'webinars.violation', v)).join(', ') })}
                  </Text>
                )}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      {items && items.some((i) => i.problem !== null) && <Text c="gray.8">{t('ill.blocked')}</Text>}
      <Text size="sm" c="gray.8">
        {t('ill.mailNote')}
      </Text>
      <Group justify="flex-end" display={items && items.length > 0 ? undefined : 'none'}>
        <Button size="md" color="orange" onClick={() => void confirm()} disabled={blocked} loading={busy} data-testid="ill-confirm">
          {t(mode === 'reassign' ? 'ill.confirmReassign' : 'ill.confirmMove', { count: items?.length ?? 0 })}
        </Button>
      </Group>
    </Stack>
  );
}
