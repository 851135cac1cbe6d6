import { Alert, Button, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { InstitutionReportMonth } from '@dp/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.ts';
import { errorText } from '../../format.ts';
import { manualRows, inputsBody, inputErrors } from './manual-figures.ts';

// The rows the department added to the form: the head enters their figures by hand while the
// month is open (one number each, whole, ≥ 0) and saves them; the month cannot be submitted
// until every one is filled. After submission they show read-only with the other rows.

interface Props {
  report: InstitutionReportMonth;
  institutionId: string;
  onSaved: (report: InstitutionReportMonth) => void;
  /** Field errors a refused submission named ('values.<key>'), shown on the fields. */
  submitErrors: Record<string, string> | null;
}

export function ManualFigures({ report, institutionId, onSaved, submitErrors }: Props) {
  const { t } = useTranslation();
  const rows = manualRows(report);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<{ figures: (number | string)[] }>({
    // The server checks each figure (whole, ≥ 0) and names the field; the input allows no other.
    initialValues: { figures: rows.map((r) => report.live[r.key] ?? '') },
  });

  // A new month or a new form: the fields start from the server's values.
  const signature = `${report.institutionId}:${report.month}:${rows.map((r) => r.key).join(',')}`;
  useEffect(() => {
    const values = { figures: rows.map((r) => report.live[r.key] ?? '') };
    form.setValues(values);
    form.resetDirty(values);
    setError(null);
  }, [signature]);
  useEffect(() => {
    // A typed but unsaved figure is not in the month yet: say so rather than «enter a number».
    if (!submitErrors) return;
    const figures = form.getValues().figures;
    const fields = Object.keys(inputErrors(rows, submitErrors)).map((field) => {
      const typed = figures[Number(field.split('.')[1])];
      return [field, t(typed === '' || typed === undefined ? 'reportForm.figures.required' : 'reportForm.figures.notSaved')];
    });
    form.setErrors(Object.fromEntries(fields));
  }, [submitErrors]);

  if (rows.length === 0) return null;

  const save = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.call('reports.inputs_save', { institutionId, month: report.month }, inputsBody(rows, values.figures));
      form.resetDirty(values);
      onSaved(saved);
      notifications.show({ color: 'green', message: t('reportForm.figures.saved') });
    } catch (e) {
      if (e instanceof ApiError && e.details && typeof e.details === 'object' && e.code === 'bad_request')
        form.setErrors(inputErrors(rows, e.details as Record<string, string>));
      else setError(e instanceof ApiError && /[а-я]/i.test(e.message) ? e.message : errorText(t, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <Paper withBorder p="md" radius="md" data-testid="report-manual">
      <form onSubmit={save} noValidate>
        <Stack gap="md">
          <div>
            <Title order={2} size="h4">
              {t('reportForm.figures.title')}
            </Title>
            <Text c="dimmed">{t('reportForm.figures.hint')}</Text>
          </div>
          {error && <Alert color="red">{error}</Alert>}
          <Stack gap="md" maw={520}>
            {rows.map((row, i) => (
              <NumberInput
                key={row.key}
                size="lg"
                label={row.label}
                description={row.sectionLabel}
                inputMode="numeric"
                min={0}
                max={1_000_000}
                allowDecimal={false}
                allowNegative={false}
                thousandSeparator=" "
                hideControls
                data-testid={`report-manual-${row.key}`}
                {...form.getInputProps(`figures.${i}`)}
              />
            ))}
          </Stack>
          <Button
            type="submit"
            size="md"
            loading={busy}
            disabled={!form.isDirty()}
            style={{ alignSelf: 'flex-start' }}
            data-testid="report-manual-save"
          >
            {t('reportForm.figures.save')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
