import { Alert, Anchor, Button, Group, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ReportSettings } from '@dp/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { useSession } from '../session.tsx';
import { StaffPage } from '../StaffPage.tsx';
import { ReportFormEditor } from './form-rows/ReportFormEditor.tsx';

// `/reports/settings` — the department's reporting period (the day month M starts in M−1;
// 1 = the calendar month) and the two due days. The admin only; each day 1–28.

const FIELDS = ['periodStartDay', 'institutionDueDay', 'consolidatedDueDay'] as const;

export function ReportSettingsPage() {
  return (
    <StaffPage roles={['admin']} size={720}>
      <Settings />
    </StaffPage>
  );
}

function Settings() {
  const { t } = useTranslation();
  const { session } = useSession();
  const departmentId = session?.user.departmentId ?? null;
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const form = useForm<ReportSettings>({
    initialValues: { periodStartDay: 25, institutionDueDay: 25, consolidatedDueDay: 1 },
    validate: Object.fromEntries(
      FIELDS.map((f) => [
        f,
        (v: unknown) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 28 ? null : t('reports.settings.range')),
      ]),
    ),
  });

  useEffect(() => {
    if (!departmentId) return;
    api.call('reports.settings_get', { departmentId }).then(
      (s) => {
        form.setValues(s);
        form.resetDirty(s);
        setLoaded(true);
      },
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [departmentId]);

  const save = form.onSubmit(async (values) => {
    if (!departmentId) return;
    try {
      form.setValues(await api.call('reports.settings_put', { departmentId }, values));
      notifications.show({ color: 'green', message: t('reports.settings.saved') });
    } catch (e) {
      const fields = serverFieldErrors(e);
      if (fields) form.setErrors(Object.fromEntries(Object.keys(fields).map((k) => [k, t('reports.settings.range')])));
      else setError(errorText(t, e));
    }
  });

  return (
    <Stack gap="lg">
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>{t('reports.settings.title')}</Title>
        <Anchor component={Link} to="/reports" size="lg">
          {t('reports.title')}
        </Anchor>
      </Group>
      <Text>{t('reports.settings.hint')}</Text>
      {error && <Alert color="red">{error}</Alert>}
      <Paper withBorder p="md" radius="md">
        <form onSubmit={save} noValidate>
          <Stack>
            {FIELDS.map((f) => (
              <NumberInput
                key={f}
                size="md"
                label={t(`reports.settings.${f}`)}
                description={t(`reports.settings.${f}Hint`)}
                min={1}
                max={28}
                allowDecimal={false}
                disabled={!loaded}
                data-testid={`report-settings-${f}`}
                {...form.getInputProps(f)}
              />
            ))}
            <Button type="submit" size="md" disabled={!loaded} data-testid="report-settings-save">
              {t('reports.settings.save')}
            </Button>
          </Stack>
        </form>
      </Paper>
      {departmentId && <ReportFormEditor departmentId={departmentId} />}
    </Stack>
  );
}
