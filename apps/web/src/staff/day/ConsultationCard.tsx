import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { mayJoin, type DayBoardRow } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { STATE_COLOR } from '../consultations/people.ts';
import { serverNow } from '../../app/server-time.ts';

/** One consultation of the day: time, who, state, the pre-check, the room's phase and alerts. */
export function ConsultationCard({ row, timeZone, own }: { row: DayBoardRow; timeZone: string; own: boolean }) {
  const { t, i18n } = useTranslation();
  const time = new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', timeZone });
  const clients = row.clients.map((c) => c ?? t('day.anonymous'));
  // The specialist's own day: «Войти» when the lifecycle lets staff in now.
  const entry = mayJoin({ state: row.state, start: new Date(row.start) }, 'staff', new Date(serverNow()));
  const troubled = row.precheck === 'failed' || (row.room?.alerts.length ?? 0) > 0 || row.state === 'failed';
  return (
    <Paper
      component="li"
      withBorder
      radius="md"
      p="md"
      data-testid="day-row"
      data-id={row.id}
      data-state={row.state}
      style={troubled ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}
    >
      <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
        <Stack gap={2} style={{ minWidth: 0, flex: '1 1 16rem' }}>
          <Text fw={700} size="lg">
            {time.format(new Date(row.start))}–{time.format(new Date(row.end))} · {t(`staff.kinds.${row.kind}`)}
            {row.form !== 'online' ? ` · ${t(`booking.forms.${row.form}`)}` : ''}
          </Text>
          {row.clientPhone && (
            <Text fw={600} data-testid="day-phone">
              {t('consultationForms.callNumber', { phone: row.clientPhone })}
            </Text>
          )}
          <Text>{row.specialists.map((s) => s.displayName).join(', ')}</Text>
          {row.kind === 'webinar' ? null : (
            <Text c="gray.8" data-testid="day-clients">
              {t('day.clients', { names: clients.join(', ') || t('day.noClients') })}
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="wrap">
          <Badge size="lg" variant="light" color={STATE_COLOR[row.state]} data-testid="day-state">
            {t(`staff.states.${row.state}`)}
          </Badge>
          {row.form === 'online' && (
            <Badge
              size="lg"
              variant="light"
              color={row.precheck === 'passed' ? 'teal' : row.precheck === 'failed' ? 'red' : 'gray'}
              data-testid="day-precheck"
            >
              {t(`day.precheck.${row.precheck ?? 'none'}`)}
            </Badge>
          )}
          {row.room && (
            <Badge size="lg" variant="outline" color="sea" data-testid="day-room">
              {t('day.room', { phase: t(`health.phases.${row.room.phase}`), count: row.room.clientsIn })}
            </Badge>
          )}
        </Group>
      </Group>
      {row.room && row.room.alerts.length > 0 && (
        <Text c="red.8" fw={600} mt="xs" data-testid="day-alerts">
          {row.room.alerts.map((a) => t(`day.alerts.${a}`, { defaultValue: a })).join(' · ')}
        </Text>
      )}
      <Group gap="sm" mt="sm">
        <Button component={Link} to={`/staff/consultations/${row.id}`} variant="light" size="md" data-testid="day-open">
          {row.form === 'phone' && own && row.state === 'planned' ? t('consultationForms.recordOutcome') : t('day.open')}
        </Button>
        {own && entry.ok && row.form === 'online' && (
          <Button component={Link} to={`/staff/room/${row.id}`} size="md" data-testid="day-enter">
            {t('day.enter')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}
