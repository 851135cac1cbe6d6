import { Alert, Button, Group, Loader, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import type { ServiceAct } from '@dp/protocol';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText } from '../format.ts';

// «Акт оказанных услуг» for a chosen month: the client's held consultations counted as
// services under ИППСУ / ИПСР (the institution's local month), with the Excel file.

/** This month and the eleven before it, as 'YYYY-MM', newest first. */
function recentMonths(now = new Date()): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(now.getFullYear(), now.getMonth() - i, 1);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  });
}

export function ServiceActPanel({ institutionId, clientId }: { institutionId: string; clientId: string }) {
  const { t, i18n } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const months = useMemo(() => recentMonths(), []);
  const [month, setMonth] = useState(months[0]!);
  const [act, setAct] = useState<ServiceAct | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setAct(null);
    api.call('services.act', { institutionId, clientId }, { month }).then(
      (a) => {
        if (!live) return;
        setAct(a);
        setError(null);
      },
      (e: unknown) => live && setError(errorText(t, e)),
    );
    return () => {
      live = false;
    };
  }, [institutionId, clientId, month, t]);

  const monthLabel = (m: string) =>
    new Intl.DateTimeFormat(i18n.language, { month: 'long', year: 'numeric' }).format(
      new Date(Number(m.slice(0, 4)), Number(m.slice(5)) - 1, 1),
    );
  const day = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${iso}T00:00:00Z`),
    );

  return (
    <section aria-labelledby="client-act" data-testid="service-act">
      <Title order={2} size="h3" id="client-act" mb="sm" mt="lg">
        {t('planned.act.title')}
      </Title>
      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Select
              size="md"
              label={t('planned.act.month')}
              data={months.map((m) => ({ value: m, label: monthLabel(m) }))}
              value={month}
              onChange={(v) => v && setMonth(v)}
              allowDeselect={false}
              w={220}
              data-testid="act-month"
            />
            <Button
              size="md"
              component="a"
              href={api.href('services.act_xlsx', { institutionId, clientId }, { month })}
              download
              disabled={!act || act.rows.length === 0}
              data-testid="act-download"
            >
              {t('planned.act.download')}
            </Button>
          </Group>
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          {!act && !error && <Loader size="sm" />}
          {act && act.programmes.length === 0 && <Text c="gray.7">{t('planned.act.notCounted')}</Text>}
          {act && act.programmes.length > 0 && (
            <>
              <Text>{t('planned.act.programmes', { list: act.programmes.map((p) => t(`planned.act.programme.${p}`)).join(', ') })}</Text>
              {act.rows.length === 0 ? (
                <Text c="gray.7">{t('planned.act.none')}</Text>
              ) : phone ? (
                <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="act-table">
                  {act.rows.map((r, i) => (
                    <Paper component="li" key={r.consultationId} withBorder p="sm" radius="md" data-testid="act-row">
                      <Group justify="space-between" gap="xs">
                        <Text fw={600}>
                          {i + 1}. {day(r.date)}
                        </Text>
                        <Text>{t('planned.act.minutesShort', { minutes: r.minutes })}</Text>
                      </Group>
                      <Text style={{ overflowWrap: 'anywhere' }}>{r.specialist}</Text>
                      <Text size="sm" c="gray.7">
                        {r.profession ? t(`planned.professions.${r.profession}`) : '—'} · {t(`planned.forms.${r.form}`)}
                      </Text>
                    </Paper>
                  ))}
                </Stack>
              ) : (
                <Table.ScrollContainer minWidth={520}>
                  <Table striped verticalSpacing="xs" data-testid="act-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>№</Table.Th>
                        <Table.Th>{t('planned.act.date')}</Table.Th>
                        <Table.Th>{t('planned.act.specialist')}</Table.Th>
                        <Table.Th>{t('planned.act.profession')}</Table.Th>
                        <Table.Th>{t('planned.act.form')}</Table.Th>
                        <Table.Th ta="right">{t('planned.act.minutes')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {act.rows.map((r, i) => (
                        <Table.Tr key={r.consultationId} data-testid="act-row">
                          <Table.Td>{i + 1}</Table.Td>
                          <Table.Td>{day(r.date)}</Table.Td>
                          <Table.Td>{r.specialist}</Table.Td>
                          <Table.Td>{r.profession ? t(`planned.professions.${r.profession}`) : '—'}</Table.Td>
                          <Table.Td>{t(`planned.forms.${r.form}`)}</Table.Td>
                          <Table.Td ta="right">{r.minutes}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
              <Text fw={600} data-testid="act-total">
                {t('planned.act.total', { count: act.rows.length, minutes: act.totalMinutes })}
              </Text>
            </>
          )}
        </Stack>
      </Paper>
    </section>
  );
}
