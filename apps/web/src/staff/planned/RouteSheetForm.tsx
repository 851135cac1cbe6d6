import { Button, Group, NumberInput, Paper, Select, Stack, Text, Textarea } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import {
  ConsultationForm,
  Profession,
  RouteFrequency,
  ROUTE_LINES_MAX,
  ROUTE_PLANNED_MAX,
  TargetGroup,
  type CreateRouteSheetBody,
  type RouteSheet,
  type StaffMember,
} from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { ERROR_STYLES } from '../webinars/webinar-form.ts';
import { FormActions } from './FormActions.tsx';

// The route sheet's form: target group, dates, note and its lines (direction, form,
// responsible specialist, how many consultations and how often). New or changed as a whole.

interface LineValues {
  key: number;
  profession: string | null;
  form: string | null;
  specialistId: string | null;
  plannedCount: number | string;
  frequency: string | null;
  note: string;
}
interface Values {
  targetGroup: string | null;
  startDate: string | null;
  endDate: string | null;
  note: string;
  lines: LineValues[];
}

let nextKey = 1;
const emptyLine = (): LineValues => ({
  key: nextKey++,
  profession: null,
  form: 'online',
  specialistId: null,
  plannedCount: 4,
  frequency: 'weekly',
  note: '',
});

function initial(sheet: RouteSheet | null): Values {
  if (!sheet) return { targetGroup: null, startDate: null, endDate: null, note: '', lines: [emptyLine()] };
  return {
    targetGroup: sheet.targetGroup,
    startDate: sheet.startDate,
    endDate: sheet.endDate,
    note: sheet.note ?? '',
    lines: sheet.lines.map((l) => ({
      key: nextKey++,
      profession: l.profession,
      form: l.form,
      specialistId: l.specialist.id,
      plannedCount: l.plannedCount,
      frequency: l.frequency,
      note: l.note ?? '',
    })),
  };
}

export function RouteSheetForm({
  institutionId,
  clientId,
  sheet,
  specialists,
  onCancel,
  onSaved,
}: {
  institutionId: string;
  clientId: string;
  sheet: RouteSheet | null;
  specialists: StaffMember[];
  onCancel: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const required = (v: unknown) => (v === null || v === '' ? t('planned.errors.required') : null);
  const form = useForm<Values>({
    initialValues: initial(sheet),
    validate: {
      targetGroup: required,
      startDate: required,
      endDate: (v, all) => required(v) ?? (v && all.startDate && v < all.startDate ? t('planned.errors.endDate') : null),
      note: (v) => (v.length > 2000 ? t('planned.errors.tooLong') : null),
      lines: {
        profession: required,
        form: required,
        specialistId: required,
        frequency: required,
        plannedCount: (v) =>
          typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= ROUTE_PLANNED_MAX ? null : t('planned.errors.plannedCount'),
        note: (v) => (v.length > 1000 ? t('planned.errors.tooLong') : null),
      },
    },
  });

  const opts = (values: readonly string[], prefix: string) => values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));
  /** The props every required field of the form shares (its value, error and test id). */
  const field = (path: string, testId: string) => ({
    size: 'md' as const,
    withAsterisk: true,
    styles: ERROR_STYLES,
    'data-testid': testId,
    ...form.getInputProps(path),
  });
  const specialistOptions = specialists.map((s) => ({ value: s.id, label: s.displayName }));

  const submit = async (v: Values) => {
    setBusy(true);
    setFailure(null);
    const body: CreateRouteSheetBody = {
      targetGroup: v.targetGroup as CreateRouteSheetBody['targetGroup'],
      startDate: v.startDate!,
      endDate: v.endDate!,
      ...(v.note.trim() ? { note: v.note.trim() } : {}),
      lines: v.lines.map((l) => ({
        profession: l.profession as Profession,
        form: l.form as ConsultationForm,
        specialistId: l.specialistId!,
        plannedCount: Number(l.plannedCount),
        frequency: l.frequency as RouteFrequency,
        ...(l.note.trim() ? { note: l.note.trim() } : {}),
      })),
    };
    try {
      if (sheet) await api.call('route_sheets.update', { institutionId, sheetId: sheet.id }, { ...body, note: body.note ?? null });
      else await api.call('route_sheets.create', { institutionId, clientId }, body);
      onSaved();
    } catch (e) {
      const fields = serverFieldErrors(e);
      if (fields) {
        for (const key of Object.keys(fields)) {
          const last = key.split('.').at(-1) ?? key;
          form.setFieldError(key, t(`planned.errors.${last}`, { defaultValue: t('planned.errors.invalid') }));
        }
      } else setFailure(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate data-testid="route-sheet-form">
      <Stack gap="md">
        <Select
          label={t('planned.targetGroupLabel')}
          data={opts(TargetGroup.options, 'planned.targetGroup')}
          {...field('targetGroup', 'route-target-group')}
        />
        <Group grow align="flex-start" wrap="wrap">
          <DatePickerInput label={t('planned.startDate')} valueFormat="DD.MM.YYYY" {...field('startDate', 'route-start')} />
          <DatePickerInput label={t('planned.endDate')} valueFormat="DD.MM.YYYY" {...field('endDate', 'route-end')} />
        </Group>
        <Text fw={600}>{t('planned.lines')}</Text>
        {form.errors.lines && (
          <Text c="red.9" size="sm" role="alert">
            {form.errors.lines}
          </Text>
        )}
        {form.values.lines.map((line, i) => (
          <Paper key={line.key} withBorder p="sm" radius="md" data-testid="route-line-input">
            <Stack gap="sm">
              <Group justify="space-between">
                <Text fw={500}>{t('planned.lineN', { n: i + 1 })}</Text>
                {form.values.lines.length > 1 && (
                  <Button size="compact-md" variant="subtle" color="red" onClick={() => form.removeListItem('lines', i)}>
                    {t('planned.removeLine')}
                  </Button>
                )}
              </Group>
              <Group grow align="flex-start" wrap="wrap">
                <Select
                  label={t('planned.profession')}
                  data={opts(Profession.options, 'planned.professions')}
                  {...field(`lines.${i}.profession`, 'route-line-profession')}
                />
                <Select
                  label={t('planned.form')}
                  data={opts(ConsultationForm.options, 'planned.forms')}
                  {...field(`lines.${i}.form`, 'route-line-form')}
                />
              </Group>
              <Select
                label={t('planned.specialist')}
                data={specialistOptions}
                searchable
                {...field(`lines.${i}.specialistId`, 'route-line-specialist')}
                onChange={(id) => {
                  form.setFieldValue(`lines.${i}.specialistId`, id);
                  const profession = specialists.find((s) => s.id === id)?.specialist?.profession;
                  if (profession && !form.values.lines[i]?.profession) form.setFieldValue(`lines.${i}.profession`, profession);
                }}
              />
              <Group grow align="flex-start" wrap="wrap">
                <NumberInput
                  label={t('planned.plannedCount')}
                  min={1}
                  max={ROUTE_PLANNED_MAX}
                  allowDecimal={false}
                  {...field(`lines.${i}.plannedCount`, 'route-line-count')}
                />
                <Select
                  label={t('planned.frequency')}
                  data={opts(RouteFrequency.options, 'planned.frequencies')}
                  {...field(`lines.${i}.frequency`, 'route-line-frequency')}
                />
              </Group>
              <Textarea
                size="md"
                label={t('planned.note')}
                autosize
                minRows={1}
                styles={ERROR_STYLES}
                {...form.getInputProps(`lines.${i}.note`)}
              />
            </Stack>
          </Paper>
        ))}
        {form.values.lines.length < ROUTE_LINES_MAX && (
          <Group>
            <Button size="md" variant="light" onClick={() => form.insertListItem('lines', emptyLine())} data-testid="route-add-line">
              {t('planned.addLine')}
            </Button>
          </Group>
        )}
        <Textarea size="md" label={t('planned.note')} autosize minRows={2} styles={ERROR_STYLES} {...form.getInputProps('note')} />
        <FormActions failure={failure} busy={busy} onCancel={onCancel} saveTestId="route-save" />
      </Stack>
    </form>
  );
}
