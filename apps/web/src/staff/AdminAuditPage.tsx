import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { staffRolesGranted, type AuditEventView, type StaffMember } from '@dp/protocol';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api.ts';
import { ACTION_GROUPS, actionText, detailsText, KNOWN_ACTIONS } from './audit-text.ts';
import { errorText } from './format.ts';
import { StaffPage } from './StaffPage.tsx';
import classes from './staff.module.css';

const PAGE = 50;

/** Who reads the audit log: the roles the matrix grants `audit.list`. */
const AUDIT_ROLES = staffRolesGranted('audit.list');

/** `/admin/audit` — who did what, newest first. */
export function AdminAuditPage() {
  return (
    <StaffPage roles={AUDIT_ROLES} size={1280}>
      <Audit />
    </StaffPage>
  );
}

interface Filters {
  actorId: string | null;
  action: string | null;
  /** 'YYYY-MM-DD' from the date inputs, in this browser's time zone. */
  from: string;
  to: string;
}

/** Local midnight of a 'YYYY-MM-DD' day (plus `days`) as an ISO instant. */
function dayStart(date: string, days = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).toISOString();
}

function Audit() {
  const { t, i18n } = useTranslation();
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [filters, setFilters] = useState<Filters>({ actorId: null, action: null, from: '', to: '' });
  const [events, setEvents] = useState<AuditEventView[] | null>(null);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const phone = useMediaQuery('(max-width: 48em)') ?? false;

  useEffect(() => {
    api.call('staff.list_department', {}).then(
      (l) => setStaff([...l.staff].sort((a, b) => a.displayName.localeCompare(b.displayName, 'ru'))),
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [t]);
  const names = useMemo(() => new Map(staff.map((s) => [s.id, s.displayName])), [staff]);

  const fetchPage = useCallback(
    async (before: string | null) => {
      setBusy(true);
      try {
        const page = await api.call(
          'audit.list',
          {},
          {
            actorId: filters.actorId ?? undefined,
            action: filters.action ?? undefined,
            from: dayStart(filters.from),
            to: dayStart(filters.to, 1),
            before: before ?? undefined,
            limit: PAGE,
          },
        );
        setEvents((old) => (before && old ? [...old, ...page.events] : page.events));
        setNextBefore(page.nextBefore);
        setError(null);
      } catch (e) {
        setError(errorText(t, e));
      } finally {
        setBusy(false);
      }
    },
    [filters, t],
  );
  useEffect(() => {
    void fetchPage(null);
  }, [fetchPage]);

  const fmt = useMemo(
    () =>
      new Intl.DateTimeFormat(i18n.language, {
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
    [i18n.language],
  );

  const actionOptions = [
    { group: t('staff.audit.groups'), items: ACTION_GROUPS.map((g) => ({ value: g, label: t(`staff.audit.group.${g.slice(0, -1)}`) })) },
    { group: t('staff.audit.single'), items: KNOWN_ACTIONS.map((a) => ({ value: a, label: actionText(t, a) })) },
  ];

  const who = (e: AuditEventView) =>
    e.actorType === 'staff'
      ? (e.actorName ?? (e.actorId && names.get(e.actorId)) ?? e.actorId ?? '—')
      : t(`staff.audit.actor.${e.actorType}`, { defaultValue: t('staff.audit.otherDetail') });
  const target = (e: AuditEventView) => {
    if (!e.targetType && !e.targetId) return '—';
    const name = e.targetId ? names.get(e.targetId) : undefined;
    if (name) return name;
    const type = e.targetType ? t(`staff.audit.target.${e.targetType}`, { defaultValue: t('staff.audit.target.title') }) : '';
    return [type, e.targetId ? e.targetId.slice(0, 8) : ''].filter(Boolean).join(' ');
  };
  const details = (e: AuditEventView) => detailsText(t, i18n.language, e.details);

  return (
    <Stack gap="lg">
      <Title order={1}>{t('staff.audit.title')}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
        <Select
          label={t('staff.audit.user')}
          placeholder={t('staff.audit.anyone')}
          size="lg"
          data={staff.map((s) => ({ value: s.id, label: `${s.displayName} (${t(`staff.roles.${s.role}`)})` }))}
          value={filters.actorId}
          onChange={(v) => setFilters((f) => ({ ...f, actorId: v }))}
          clearable
          searchable
          nothingFoundMessage={t('staff.audit.nothingFound')}
          data-testid="audit-user"
        />
        <Select
          label={t('staff.audit.action')}
          placeholder={t('staff.audit.anyAction')}
          size="lg"
          data={actionOptions}
          value={filters.action}
          onChange={(v) => setFilters((f) => ({ ...f, action: v }))}
          clearable
          searchable
          nothingFoundMessage={t('staff.audit.nothingFound')}
          data-testid="audit-action"
        />
        <TextInput
          label={t('staff.audit.from')}
          type="date"
          size="lg"
          value={filters.from}
          max={filters.to || undefined}
          onChange={(e) => {
            const from = e.currentTarget.value;
            setFilters((f) => ({ ...f, from }));
          }}
          data-testid="audit-from"
        />
        <TextInput
          label={t('staff.audit.to')}
          type="date"
          size="lg"
          value={filters.to}
          min={filters.from || undefined}
          onChange={(e) => {
            const to = e.currentTarget.value;
            setFilters((f) => ({ ...f, to }));
          }}
          data-testid="audit-to"
        />
      </SimpleGrid>
      {error && (
        <Alert color="red" variant="light" role="alert">
          <Text>{error}</Text>
        </Alert>
      )}
      {events && events.length === 0 && <Text c="gray.7">{t('staff.audit.empty')}</Text>}
      {events && events.length > 0 && phone && (
        <Stack gap="sm" data-testid="audit-table">
          {events.map((e) => (
            <Paper key={e.id} withBorder p="md" data-testid="audit-row" data-action={e.action}>
              <Text fw={600}>{actionText(t, e.action)}</Text>
              <Text size="sm">{fmt.format(new Date(e.at))}</Text>
              <Text size="sm">
                {t('staff.audit.who')}: {who(e)}
              </Text>
              <Text size="sm">
                {t('staff.audit.target.title')}: {target(e)}
              </Text>
              {e.ip && <Text size="sm">IP: {e.ip}</Text>}
              <Text size="sm" c="gray.7" style={{ overflowWrap: 'anywhere' }}>
                {details(e)}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
      {events && events.length > 0 && !phone && (
        <Table.ScrollContainer minWidth={1000}>
          <Table verticalSpacing="sm" striped data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('staff.audit.when')}</Table.Th>
                <Table.Th>{t('staff.audit.who')}</Table.Th>
                <Table.Th>{t('staff.audit.what')}</Table.Th>
                <Table.Th>{t('staff.audit.target.title')}</Table.Th>
                <Table.Th>IP</Table.Th>
                <Table.Th>{t('staff.audit.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((e) => (
                <Table.Tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <Table.Td className={classes.nowrap}>{fmt.format(new Date(e.at))}</Table.Td>
                  <Table.Td>{who(e)}</Table.Td>
                  <Table.Td>
                    <Text fw={600}>{actionText(t, e.action)}</Text>
                  </Table.Td>
                  <Table.Td>{target(e)}</Table.Td>
                  <Table.Td className={classes.nowrap}>{e.ip ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c="gray.7" style={{ overflowWrap: 'anywhere' }}>
                      {details(e)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {nextBefore && (
        <Group>
          <Button size="lg" variant="default" loading={busy} onClick={() => void fetchPage(nextBefore)} data-testid="audit-more">
            {t('staff.audit.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
