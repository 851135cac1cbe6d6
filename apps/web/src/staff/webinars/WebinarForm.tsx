import { Alert, Badge, Button, CloseButton, Group, NumberInput, Select, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { DatePickerInput, DatesProvider, TimeInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { parsePersonList, type ClientInput, type ConsultationList, type StaffMember } from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ClientPicker } from '../clients/ClientPicker.tsx';
import { errorText } from '../format.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { ERROR_STYLES, listErrors, timetableError } from './webinar-form.ts';
import { zonedInstant } from './zoned.ts';

// «Новый вебинар»: topic, one date or a series, time, length (≤ 60), audience, participants
// from the registry and/or a pasted e-mail list, «Групповая консультация».

interface Values {
  topic: string;
  dates: string[];
  time: string;
  duration: number | string;
  audience: 'specialist_client' | 'specialist_specialist';
  hostId: string | null;
  emails: string;
  openFloor: boolean;
}

export function WebinarForm({
  institutionId,
  timeZone,
  specialists,
  selfId,
  onCancel,
  onCreated,
}: {
  institutionId: string;
  timeZone: string;
  /** The specialists a head chooses the host from; empty for a specialist (the host is the caller). */
  specialists: StaffMember[];
  selfId: string;
  onCancel: () => void;
  onCreated: (ids: string[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<{ id: string; name: string }[]>([]);
  const form = useForm<Values>({
    initialValues: {
      topic: '',
      dates: [],
      time: '11:00',
      duration: 45,
      audience: 'specialist_client',
      hostId: specialists.length > 0 ? null : selfId,
      emails: '',
      openFloor: false,
    },
    validate: {
      topic: (v) => (v.trim() === '' ? t('webinars.validation.topic') : v.trim().length > 2000 ? t('webinars.validation.tooLong') : null),
      dates: (v) => (v.length === 0 ? t('webinars.validation.dates') : v.length > 20 ? t('webinars.validation.tooManyDates') : null),
      time: (v) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? null : t('webinars.validation.time')),
      duration: (v) => (Number.isInteger(Number(v)) && Number(v) >= 5 && Number(v) <= 60 ? null : t('webinars.validation.duration')),
      hostId: (v) => (v ? null : t('webinars.validation.host')),
      emails: (v) => listErrors(t, parsePersonList(v).errors),
    },
  });
  const listed = parsePersonList(form.values.emails);
  const total = picked.length + listed.people.length;

  const submit = form.onSubmit(async (v) => {
    setBusy(true);
    setError(null);
    const dates = [...v.dates].sort();
    const starts = dates.map((d) => zonedInstant(d, v.time, timeZone));
    const clients: ClientInput[] = picked.map((p) => ({ clientId: p.id }));
    const base = {
      kind: 'webinar' as const,
      direction: v.audience,
      mode: 'planned' as const,
      specialistIds: [v.hostId!],
      durationMinutes: Number(v.duration),
      note: v.topic.trim(),
      clients,
      ...(v.emails.trim() ? { emailList: v.emails } : {}),
      openFloor: v.openFloor,
    };
    try {
      if (starts.length === 1) {
        const c = await api.call('consultations.create', { institutionId }, { ...base, start: starts[0]! });
        onCreated([c.id]);
      } else {
        const list: ConsultationList = await api.call('consultations.create_series', { institutionId }, { ...base, starts });
        onCreated(list.consultations.map((c) => c.id));
      }
    } catch (e) {
      const fields = serverFieldErrors(e);
      const timetable = timetableError(t, e, dates, i18n.language);
      if (timetable) form.setFieldError('dates', timetable);
      else if (fields) {
        for (const key of Object.keys(fields)) {
          const field = key.startsWith('emailList')
            ? 'emails'
            : key.startsWith('clients')
              ? 'emails'
              : key.startsWith('note')
                ? 'topic'
                : null;
          if (field) form.setFieldError(field, t(`webinars.serverField.${field}`));
        }
        setError(t('webinars.checkFields'));
      } else setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <DatesProvider settings={{ locale: i18n.language.startsWith('en') ? 'en' : 'ru', firstDayOfWeek: 1 }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            size="md"
            label={t('webinars.topic')}
            withAsterisk
            styles={ERROR_STYLES}
            {...form.getInputProps('topic')}
            data-testid="webinar-topic"
          />
          {specialists.length > 0 && (
            <Select
              size="md"
              label={t('webinars.host')}
              withAsterisk
              styles={ERROR_STYLES}
              data={specialists.map((s) => ({ value: s.id, label: s.displayName }))}
              {...form.getInputProps('hostId')}
              data-testid="webinar-host"
            />
          )}
          <DatePickerInput
            type="multiple"
            size="md"
            label={t('webinars.dates')}
            description={t('webinars.datesHint')}
            withAsterisk
            valueFormat="D MMMM YYYY"
            clearable
            {...form.getInputProps('dates')}
            styles={ERROR_STYLES}
            data-testid="webinar-date"
          />
          <Group grow align="flex-start">
            <TimeInput
              size="md"
              label={t('webinars.time')}
              withAsterisk
              styles={ERROR_STYLES}
              {...form.getInputProps('time')}
              data-testid="webinar-time"
            />
            <NumberInput
              size="md"
              label={t('webinars.duration')}
              min={5}
              max={60}
              step={5}
              withAsterisk
              styles={ERROR_STYLES}
              {...form.getInputProps('duration')}
              data-testid="webinar-duration"
            />
          </Group>
          <Select
            size="md"
            label={t('webinars.audience')}
            allowDeselect={false}
            data={[
              { value: 'specialist_client', label: t('webinars.audienceClients') },
              { value: 'specialist_specialist', label: t('webinars.audienceSpecialists') },
            ]}
            {...form.getInputProps('audience')}
            data-testid="webinar-audience"
          />
          {form.values.audience === 'specialist_client' && (
            <Stack gap="xs">
              <ClientPicker
                institutionId={institutionId}
                value={null}
                label={t('webinars.fromRegistry')}
                onChange={(c) =>
                  c && !picked.some((p) => p.id === c.id) && setPicked([...picked, { id: c.id, name: c.representativeName }])
                }
              />
              {picked.length > 0 && (
                <Group gap="xs" data-testid="webinar-picked">
                  {picked.map((p) => (
                    <Badge
                      key={p.id}
                      size="lg"
                      variant="light"
                      rightSection={
                        <CloseButton
                          size="sm"
                          aria-label={t('webinars.removePicked', { name: p.name })}
                          onClick={() => setPicked(picked.filter((x) => x.id !== p.id))}
                        />
                      }
                    >
                      {p.name}
                    </Badge>
                  ))}
                </Group>
              )}
            </Stack>
          )}
          <Textarea
            size="md"
            label={t('webinars.emails.label')}
            description={t('webinars.emails.hint')}
            autosize
            minRows={3}
            maxRows={10}
            {...form.getInputProps('emails')}
            styles={ERROR_STYLES}
            data-testid="webinar-emails"
          />
          <Text size="sm" c="gray.7" data-testid="webinar-count">
            {t('webinars.participantsCount', { count: total })}
          </Text>
          <Switch
            size="md"
            label={t('webinars.group')}
            description={t('webinars.groupHint')}
            {...form.getInputProps('openFloor', { type: 'checkbox' })}
            data-testid="webinar-group"
          />
          <Group justify="flex-end">
            <Button variant="default" size="md" onClick={onCancel} disabled={busy}>
              {t('webinars.cancel')}
            </Button>
            <Button type="submit" size="md" loading={busy} data-testid="webinar-save">
              {t('webinars.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </DatesProvider>
  );
}
