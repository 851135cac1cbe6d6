import { Alert, Button, Group, Paper, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import type { Institution } from '@dp/protocol';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.ts';
import { errorText } from '../format.ts';
import { StaffPage } from '../StaffPage.tsx';
import { useSignedIn } from '../session.tsx';
import { DaysOffCalendar } from './DaysOffCalendar.tsx';
import { bodyOf, checkValues, DAYS, serverFieldErrors, valuesOf, type Day, type SettingsValues } from './settings-form.ts';
import { zoneOptions } from './time-zones.ts';

/** `/institution` — the institution's settings: name, zone, phone, hours, lunch, own days off (admin and head). */
export function InstitutionSettingsPage() {
  return (
    <StaffPage roles={['admin', 'head']} size={1100}>
      <Settings />
    </StaffPage>
  );
}

function Settings() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const own = session.user.institutionId;
  const [institutionId, setInstitutionId] = useState<string | null>(own);
  const [institutions, setInstitutions] = useState<Institution[] | null>(null);
  const [institution, setInstitution] = useState<Institution | null>(null);
  const [error, setError] = useState<string | null>(null);

  // A department's admin chooses the institution; a head edits their own.
  useEffect(() => {
    if (own) return;
    api.call('institutions.list', {}).then(
      (r) => {
        setInstitutions(r.institutions);
        setInstitutionId((id) => id ?? r.institutions[0]?.id ?? null);
      },
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [own, t]);

  useEffect(() => {
    if (!institutionId) return;
    let live = true;
    setInstitution(null);
    api.call('institutions.get', { institutionId }).then(
      (i) => live && setInstitution(i),
      (e: unknown) => live && setError(errorText(t, e)),
    );
    return () => {
      live = false;
    };
  }, [institutionId, t]);

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('institutionSettings.title')}
      </Title>
      {institutions && (
        <Select
          size="md"
          label={t('institutionSettings.institution')}
          data={institutions.map((i) => ({ value: i.id, label: i.name }))}
          value={institutionId}
          onChange={(id) => id && setInstitutionId(id)}
          allowDeselect={false}
          maw={520}
          data-testid="settings-institution"
        />
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {institutions?.length === 0 && <Text>{t('institutionSettings.noInstitutions')}</Text>}
      {institution && <SettingsForm key={institution.id} institution={institution} onSaved={setInstitution} />}
    </Stack>
  );
}

/** Today's date in a zone, 'YYYY-MM-DD'. */
const todayIn = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());

function SettingsForm({ institution, onSaved }: { institution: Institution; onSaved: (i: Institution) => void }) {
  const { t } = useTranslation();
  const form = useForm<SettingsValues>({
    initialValues: valuesOf(institution),
    validate: (v) =>
      Object.fromEntries(Object.entries(checkValues(v)).map(([path, kind]) => [path, t(`institutionSettings.errors.${kind}`)])),
  });
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const zones = useMemo(
    () => zoneOptions((z) => t(`institutionSettings.zones.${z}`, { defaultValue: z }), institution.calendar.timeZone),
    [t, institution],
  );

  const save = async (v: SettingsValues) => {
    setSaving(true);
    setSaved(false);
    setProblem(null);
    try {
      const updated = await api.call('institutions.update', { institutionId: institution.id }, bodyOf(v, institution));
      form.resetDirty(v);
      onSaved(updated);
      setSaved(true);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'bad_request') {
        const fields = serverFieldErrors(e.details);
        for (const [path, kind] of Object.entries(fields)) {
          if (path !== '') form.setFieldError(path, t(`institutionSettings.errors.${kind}`));
        }
        setProblem(fields[''] ? t('institutionSettings.errors.other') : t('institutionSettings.errors.check'));
      } else if (e instanceof ApiError && e.code === 'rule_violation') {
        setProblem(t('institutionSettings.errors.calendar'));
      } else {
        setProblem(errorText(t, e));
      }
    } finally {
      setSaving(false);
    }
  };

  const hoursRow = (d: Day) => {
    const on = form.values.week[d].on;
    const dayName = t(`institutionSettings.weekdays.${d}`);
    return (
      <Paper key={d} withBorder p="sm" radius="md">
        <Group gap="md" wrap="wrap" align="flex-end">
          <Switch
            size="md"
            w={200}
            label={dayName}
            description={on ? t('institutionSettings.working') : t('institutionSettings.dayOff')}
            data-testid={`settings-day-${d}-on`}
            {...form.getInputProps(`week.${d}.on`, { type: 'checkbox' })}
          />
          {on && (
            <Group gap="sm" wrap="nowrap">
              <TimeInput
                size="md"
                w={130}
                label={t('institutionSettings.from')}
                aria-label={t('institutionSettings.fromOf', { day: dayName })}
                data-testid={`settings-day-${d}-start`}
                {...form.getInputProps(`week.${d}.start`)}
              />
              <TimeInput
                size="md"
                w={130}
                label={t('institutionSettings.to')}
                aria-label={t('institutionSettings.toOf', { day: dayName })}
                data-testid={`settings-day-${d}-end`}
                {...form.getInputProps(`week.${d}.end`)}
              />
            </Group>
          )}
        </Group>
      </Paper>
    );
  };

  return (
    <form
      onSubmit={form.onSubmit(
        (v) => void save(v),
        () => {
          setSaved(false);
          setProblem(t('institutionSettings.errors.check'));
        },
      )}
      noValidate
    >
      <Stack gap="xl">
        <Stack gap="md" maw={520}>
          <TextInput size="md" label={t('institutionSettings.name')} data-testid="settings-name" {...form.getInputProps('name')} />
          <TextInput
            size="md"
            type="tel"
            inputMode="tel"
            label={t('institutionSettings.phone')}
            description={t('institutionSettings.phoneHint')}
            data-testid="settings-phone"
            {...form.getInputProps('phone')}
          />
          <Select
            size="md"
            searchable
            allowDeselect={false}
            label={t('institutionSettings.timeZone')}
            data={zones}
            data-testid="settings-zone"
            {...form.getInputProps('timeZone')}
          />
        </Stack>

        <Stack gap="sm" component="section" aria-labelledby="settings-hours">
          <Title order={2} size="h3" id="settings-hours">
            {t('institutionSettings.hours')}
          </Title>
          {DAYS.map(hoursRow)}
        </Stack>

        <Stack gap="sm" component="section" aria-labelledby="settings-lunch">
          <Title order={2} size="h3" id="settings-lunch">
            {t('institutionSettings.lunch')}
          </Title>
          <Group gap="md" wrap="wrap" align="flex-end">
            <Switch
              size="md"
              w={200}
              label={t('institutionSettings.lunchOn')}
              data-testid="settings-lunch-on"
              {...form.getInputProps('lunchOn', { type: 'checkbox' })}
            />
            {form.values.lunchOn && (
              <Group gap="sm" wrap="nowrap">
                <TimeInput
                  size="md"
                  w={130}
                  label={t('institutionSettings.from')}
                  aria-label={t('institutionSettings.lunchFrom')}
                  data-testid="settings-lunch-start"
                  {...form.getInputProps('lunchStart')}
                />
                <TimeInput
                  size="md"
                  w={130}
                  label={t('institutionSettings.to')}
                  aria-label={t('institutionSettings.lunchTo')}
                  data-testid="settings-lunch-end"
                  {...form.getInputProps('lunchEnd')}
                />
              </Group>
            )}
          </Group>
        </Stack>

        <Stack gap="sm" component="section" aria-labelledby="settings-days-off">
          <Title order={2} size="h3" id="settings-days-off">
            {t('institutionSettings.daysOff')}
          </Title>
          <Text size="md">{t('institutionSettings.daysOffHint')}</Text>
          <DaysOffCalendar
            institutionId={institution.id}
            today={todayIn(institution.calendar.timeZone)}
            value={form.values.daysOff}
            onChange={(dates) => form.setFieldValue('daysOff', dates)}
            error={typeof form.errors.daysOff === 'string' ? form.errors.daysOff : undefined}
          />
        </Stack>

        {problem && (
          <Alert color="red" role="alert" data-testid="settings-problem">
            {problem}
          </Alert>
        )}
        <Group gap="md">
          <Button type="submit" size="lg" loading={saving} data-testid="settings-save">
            {t('institutionSettings.save')}
          </Button>
          {saved && !form.isDirty() && (
            <Text c="teal.9" fw={600} role="status" data-testid="settings-saved">
              {t('institutionSettings.saved')}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
