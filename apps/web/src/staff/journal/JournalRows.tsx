import { Button, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { JournalRow } from '@dp/protocol';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

// The journal's rows: a table with the journal's columns on wide screens, cards on phones.

const QUALITY_COLOR = { good: 'teal', fair: 'orange', poor: 'red' } as const;

function useFormats(timeZone: string | undefined) {
  const { i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language, { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' });
  const time = new Intl.DateTimeFormat(i18n.language, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return {
    /** A local day 'YYYY-MM-DD' as written (no zone shift). */
    date: (day: string) => date.format(new Date(`${day}T00:00:00Z`)),
    time: (iso: string) => time.format(new Date(iso)),
  };
}

/** What a row says, in words (shared by the table and the cards). */
function words(t: TFunction, r: JournalRow, f: ReturnType<typeof useFormats>) {
  const dash = '—';
  return {
    start: `${f.time(r.plannedStart)} / ${r.startedAt ? f.time(r.startedAt) : dash}`,
    duration: r.durationMinutes === null ? dash : t('journal.minutes', { count: r.durationMinutes }),
    child: r.anonymous ? t('journal.anonymous') : (r.childName ?? dash),
    representative: r.anonymous ? t('journal.anonymous') : (r.representativeName ?? dash),
    recurrence: r.recurrence ? t(`journal.recurrence.${r.recurrence}`) : dash,
    reason: r.reason ?? dash,
    topic: r.topic ? t(`journal.topic.${r.topic}`) : dash,
    form: r.form ? t(`journal.form.${r.form}`) : dash,
    specialists: r.specialists.join(', ') || dash,
    precheck: r.precheck ? t(`journal.precheck.${r.precheck}`) : dash,
    state: t(`journal.state.${r.state}`),
  };
}

function Quality({ r }: { r: JournalRow }) {
  const { t } = useTranslation();
  if (!r.quality) return <Text c="gray.7">—</Text>;
  return (
    <Text c={`${QUALITY_COLOR[r.quality]}.9`} fw={600}>
      {t(`journal.quality.${r.quality}`)}
    </Text>
  );
}

/** The row's number, opening the consultation page (where the protocol completes the row). */
function NumberLink({ r }: { r: JournalRow }) {
  const { t } = useTranslation();
  return (
    <Button
      component={Link}
      to={`/staff/consultations/${r.consultationId}`}
      variant="subtle"
      size="md"
      px={8}
      aria-label={t('journal.openOne', { number: r.number })}
      data-testid="journal-open"
    >
      {r.number}
    </Button>
  );
}

function OpenLink({ r }: { r: JournalRow }) {
  const { t } = useTranslation();
  return (
    <Button
      component={Link}
      to={`/staff/consultations/${r.consultationId}`}
      variant="light"
      size="md"
      title={t('journal.openOne', { number: r.number })}
      data-testid="journal-open"
    >
      {t('journal.open')}
    </Button>
  );
}

export function JournalRows({ rows, timeZone, cards }: { rows: JournalRow[]; timeZone: string | undefined; cards: boolean }) {
  const { t } = useTranslation();
  const f = useFormats(timeZone);
  if (cards)
    return (
      <Stack gap="sm" component="ol" m={0} p={0} style={{ listStyle: 'none' }}>
        {rows.map((r) => {
          const w = words(t, r, f);
          return (
            <Paper key={r.consultationId} component="li" withBorder radius="md" p="md" data-testid="journal-row">
              <Stack gap={6}>
                <Text fw={700}>
                  № {r.number} · {f.date(r.date)}
                </Text>
                <Text>
                  {t('journal.col.start')}: {w.start}
                </Text>
                {(r.anonymous || r.childName || r.representativeName) && (
                  <Text style={{ overflowWrap: 'anywhere' }}>
                    <b>{w.child}</b>
                    {r.childAge !== null ? `, ${t('journal.age', { count: r.childAge })}` : ''}
                    {!r.anonymous && r.representativeName ? ` · ${r.representativeName}` : ''}
                  </Text>
                )}
                <SimpleGrid cols={2} spacing={4} verticalSpacing={2}>
                  <Text c="gray.7">{t('journal.col.form')}</Text>
                  <Text>{w.form}</Text>
                  <Text c="gray.7">{t('journal.col.duration')}</Text>
                  <Text>{w.duration}</Text>
                  <Text c="gray.7">{t('journal.col.topic')}</Text>
                  <Text>{w.topic}</Text>
                  <Text c="gray.7">{t('journal.col.quality')}</Text>
                  <div>
                    <Quality r={r} />
                  </div>
                  <Text c="gray.7">{t('journal.col.state')}</Text>
                  <Text data-testid="journal-state">
                    {w.state}
                    {r.reschedules > 0 ? ` · ${t('journal.moved', { count: r.reschedules })}` : ''}
                  </Text>
                  <Text c="gray.7">{t('journal.col.specialists')}</Text>
                  <Text>{w.specialists}</Text>
                </SimpleGrid>
                {r.reason && (
                  <Text lineClamp={3} style={{ overflowWrap: 'anywhere' }}>
                    {t('journal.col.reason')}: {r.reason}
                  </Text>
                )}
                <OpenLink r={r} />
              </Stack>
            </Paper>
          );
        })}
      </Stack>
    );
  // Eleven journal columns fit 1280 px as seven: what belongs together shares a cell (the header
  // names both), long names and specialists wrap (the Excel keeps every column apart).
  const heads = [
    ['number'],
    ['date', 'start'],
    ['child', 'representative'],
    ['reason'],
    ['topic', 'form'],
    ['state', 'quality'],
    ['specialists'],
  ] as const;
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table striped highlightOnHover verticalSpacing="sm" data-testid="journal-table" style={{ overflowWrap: 'break-word' }}>
        <Table.Thead>
          <Table.Tr>
            {heads.map(([k, second]) => (
              <Table.Th key={k} style={{ verticalAlign: 'bottom' }}>
                {t(`journal.col.${k}`)}
                {second && <div>{t(`journal.col.${second}`)}</div>}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => {
            const w = words(t, r, f);
            return (
              <Table.Tr key={r.consultationId} data-testid="journal-row" style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  <NumberLink r={r} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {f.date(r.date)}
                  <div>{w.start}</div>
                  {r.durationMinutes !== null && (
                    <Text size="sm" c="gray.7">
                      {w.duration}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td miw={160}>
                  {r.anonymous || r.childName || !r.representativeName ? w.child : null}
                  {(r.childAge !== null || r.recurrence) && (
                    <Text size="sm" c="gray.7">
                      {[r.childAge !== null ? t('journal.age', { count: r.childAge }) : null, r.recurrence ? w.recurrence : null]
                        .filter(Boolean)
                        .join(', ')}
                    </Text>
                  )}
                  {!r.anonymous && r.representativeName && <div>{r.representativeName}</div>}
                </Table.Td>
                <Table.Td maw={260}>
                  <Text lineClamp={3} size="sm">
                    {w.reason}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {r.topic || !r.form ? w.topic : null}
                  {r.form && (
                    <Text size="sm" c="gray.7">
                      {w.form}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <div data-testid="journal-state">
                    {w.state}
                    {r.reschedules > 0 && (
                      <Text size="sm" c="gray.7">
                        {t('journal.moved', { count: r.reschedules })}
                      </Text>
                    )}
                  </div>
                  {r.quality && <Quality r={r} />}
                  {r.precheck && (
                    <Text size="sm" c="gray.7">
                      {t('journal.precheckShort', { result: w.precheck })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td miw={140}>{r.specialists.length > 0 ? r.specialists.map((name, i) => <div key={i}>{name}</div>) : '—'}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
