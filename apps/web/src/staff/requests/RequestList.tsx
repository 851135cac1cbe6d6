import { Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { JournalRequest } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { deadlineTone } from './deadline.ts';
import classes from './requests.module.css';

// The journal's rows: a table with every column of the journal on wide screens, cards on phones.

export interface RowActions {
  canUpdate: boolean;
  onRefuse(r: JournalRequest): void;
  onResult(r: JournalRequest): void;
}

export interface ListProps extends RowActions {
  requests: JournalRequest[];
  /** Specialist id → name. */
  names: Map<string, string>;
  now: string;
  dueSoonBefore: string;
  timeZone: string | undefined;
  cards: boolean;
}

const WAITING = new Set(['new', 'assigned']);

function useFormats(timeZone: string | undefined) {
  const { i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language, { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' });
  const dateTime = new Intl.DateTimeFormat(i18n.language, {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return { date: (iso: string) => date.format(new Date(iso)), dateTime: (iso: string) => dateTime.format(new Date(iso)) };
}

function Deadline({
  r,
  now,
  dueSoonBefore,
  timeZone,
}: {
  r: JournalRequest;
  now: string;
  dueSoonBefore: string;
  timeZone: string | undefined;
}) {
  const { t } = useTranslation();
  const f = useFormats(timeZone);
  if (!r.answerDueAt) return <Text c="gray.7">—</Text>;
  const tone = deadlineTone(r, now, dueSoonBefore);
  const when = f.dateTime(r.answerDueAt);
  if (tone === 'near' || tone === 'overdue')
    return (
      <Text
        component="span"
        display="block"
        fw={600}
        className={`${classes.deadline} ${tone === 'overdue' ? classes.overdue : classes.near}`}
        data-tone={tone}
        data-testid="request-deadline"
      >
        {when}
        <Text component="span" display="block" size="sm" fw={700}>
          {t(`requests.deadline.${tone}`)}
        </Text>
      </Text>
    );
  return (
    <Text c={tone === 'none' ? 'gray.7' : undefined} data-tone={tone} data-testid="request-deadline">
      {when}
    </Text>
  );
}

function Actions({ r, canUpdate, onRefuse, onResult }: RowActions & { r: JournalRequest }) {
  const { t } = useTranslation();
  const waiting = WAITING.has(r.status);
  return (
    <Group gap="xs" className={classes.actions} role="group" aria-label={t('requests.actions.more', { number: r.number })}>
      {waiting && (
        <Button component={Link} to={`/requests/${r.id}/book`} size="sm" variant="light" data-testid="request-book">
          {t('requests.actions.book')}
        </Button>
      )}
      {canUpdate && waiting && (
        <Button size="sm" variant="subtle" color="red" onClick={() => onRefuse(r)} data-testid="request-refuse">
          {t('requests.actions.refuse')}
        </Button>
      )}
      {canUpdate && (
        <Button size="sm" variant="subtle" onClick={() => onResult(r)} data-testid="request-result">
          {t('requests.actions.result')}
        </Button>
      )}
    </Group>
  );
}

export function RequestList(p: ListProps) {
  const { t } = useTranslation();
  const f = useFormats(p.timeZone);
  const child = (r: JournalRequest) =>
    [r.childName, r.childAge !== null ? t('requests.age', { count: r.childAge }) : null].filter(Boolean).join(', ') || '—';
  const specialist = (r: JournalRequest) =>
    r.responsibleSpecialistId ? (p.names.get(r.responsibleSpecialistId) ?? '—') : t('requests.noSpecialist');
  const from = (r: JournalRequest) => (r.anonymous ? `${r.fromWhom} (${t('requests.anonymous')})` : r.fromWhom);
  const status = (r: JournalRequest) => (
    <Text data-testid="request-status" data-status={r.status}>
      {t(`requests.status.${r.status}`)}
      {r.refusalGround && (
        <Text component="span" display="block" size="sm" c="gray.7">
          {t(`requests.ground.${r.refusalGround}`)}
        </Text>
      )}
    </Text>
  );

  if (p.cards)
    return (
      <Stack gap="sm" data-testid="requests-list">
        {p.requests.map((r) => (
          <Paper key={r.id} withBorder p="md" data-testid="request-row" data-number={r.number}>
            <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
              <Text fw={700}>
                № {r.number} · {f.date(r.receivedAt)}
              </Text>
              <Text size="sm" c="gray.7" ta="right">
                {t(`requests.channel.${r.channel}`)}
              </Text>
            </Group>
            <Text fw={600} className={classes.wrapText}>
              {from(r)}
            </Text>
            {!r.anonymous && (r.childName || r.childAge !== null) && <Text className={classes.wrapText}>{child(r)}</Text>}
            <Text className={classes.wrapText} lineClamp={3}>
              {r.reason}
            </Text>
            <Group gap="xs" mt={4}>
              {status(r)}
            </Group>
            <Text size="sm" c="gray.7">
              {t('requests.columns.specialist')}: {specialist(r)}
            </Text>
            {r.answerDueAt && WAITING.has(r.status) && (
              <Group gap="xs" mt={4}>
                <Text size="sm">{t('requests.columns.deadline')}:</Text>
                <Deadline r={r} now={p.now} dueSoonBefore={p.dueSoonBefore} timeZone={p.timeZone} />
              </Group>
            )}
            {r.result && (
              <Text size="sm" className={classes.wrapText}>
                {t('requests.columns.result')}: {r.result}
              </Text>
            )}
            <Actions r={r} canUpdate={p.canUpdate} onRefuse={p.onRefuse} onResult={p.onResult} />
          </Paper>
        ))}
      </Stack>
    );

  const cols = ['numberDate', 'who', 'childAddress', 'reason', 'specialist', 'statusResult', 'deadline', 'actions'] as const;
  const small = (text: string | null) =>
    text ? (
      <Text size="sm" c="gray.7" className={classes.wrapText}>
        {text}
      </Text>
    ) : null;
  return (
    <Table.ScrollContainer minWidth={1080} type="native">
      <Table striped verticalSpacing="sm" horizontalSpacing={8} className={classes.table} data-testid="requests-list">
        <Table.Thead>
          <Table.Tr>
            {cols.map((c) => (
              <Table.Th key={c} scope="col">
                {/* «Специалист»: the narrow table's header (the cards say «Ответственный специалист»). */}
                {c === 'specialist' ? t('requests.filters.specialist') : t(`requests.columns.${c}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {p.requests.map((r) => (
            <Table.Tr key={r.id} data-testid="request-row" data-number={r.number}>
              <Table.Td className={classes.narrow}>
                <Text fw={700}>№ {r.number}</Text>
                <Text>{f.date(r.receivedAt)}</Text>
                {small(t(`requests.channel.${r.channel}`))}
              </Table.Td>
              <Table.Td>
                <Text className={classes.wrapText}>{from(r)}</Text>
                {small(r.representativeName)}
                {small(r.contact)}
              </Table.Td>
              <Table.Td>
                <Text className={classes.wrapText}>{r.anonymous ? '—' : child(r)}</Text>
                {small(r.address)}
              </Table.Td>
              <Table.Td className={classes.reason}>
                <Text lineClamp={4}>{r.reason}</Text>
                <Group gap={6} mt={4}>
                  <Badge variant="light" color="gray" size="md" className={classes.tag}>
                    {t(`requests.recurrence.${r.recurrence}`)}
                  </Badge>
                  {r.socialStatus && (
                    <Badge variant="light" color="orange" size="md" className={classes.tag}>
                      {t(`requests.socialStatus.${r.socialStatus}`)}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td className={classes.wrapText}>{specialist(r)}</Table.Td>
              <Table.Td className={classes.wrapText}>
                {status(r)}
                {r.result && (
                  <Text size="sm" lineClamp={3} className={classes.wrapText}>
                    {r.result}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Deadline r={r} now={p.now} dueSoonBefore={p.dueSoonBefore} timeZone={p.timeZone} />
              </Table.Td>
              <Table.Td>
                <Actions r={r} canUpdate={p.canUpdate} onRefuse={p.onRefuse} onResult={p.onResult} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
