import { Badge, Button, Collapse, Group, Paper, Stack, Text } from '@mantine/core';
import type { ConsolidatedInstitution, ConsolidatedMonth, ReportRow } from '@dp/protocol';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format.ts';
import { STATUS_COLOR, figureText } from './report-format.ts';

// The consolidated month on a phone: one card per institution (status, when it was sent and
// decided, «Принять» / «Вернуть…» full width) with its figures behind «Показатели», and the
// department's totals — instead of a table scrolled sideways. The desktop keeps the table.

/** When the report was sent and decided, on the institution's clock (its time zone). */
export function ReportTimes({ i }: { i: ConsolidatedInstitution }) {
  const { t, i18n } = useTranslation();
  const at = (iso: string) => formatDateTime(iso, i18n.language, i.timeZone);
  return (
    <>
      {i.submittedAt && (
        <Text size="sm" c="gray.7" data-testid="consolidated-submitted-at">
          {t('staffScreens.consolidated.sent', { at: at(i.submittedAt) })}
        </Text>
      )}
      {i.decidedAt && (i.status === 'accepted' || i.status === 'returned') && (
        <Text size="sm" c="gray.7" data-testid="consolidated-decided-at">
          {t(`staffScreens.consolidated.${i.status}`, { at: at(i.decidedAt) })}
        </Text>
      )}
    </>
  );
}

interface Props {
  data: ConsolidatedMonth;
  /** The figures shown per institution (the table's columns). */
  keys: readonly string[];
  onAccept: (i: ConsolidatedInstitution) => void;
  onReturn: (i: ConsolidatedInstitution) => void;
}

function Figures({
  data,
  keys,
  figures,
  testIdOf,
}: {
  data: ConsolidatedMonth;
  keys: readonly string[];
  figures: Record<string, number | null>;
  testIdOf?: (key: string) => string;
}) {
  const { i18n } = useTranslation();
  const rowOf = (key: string): ReportRow | undefined => data.rows.find((r) => r.key === key);
  return (
    <Stack gap={6} component="dl" m={0}>
      {keys.map((k) => (
        <Group key={k} justify="space-between" gap="sm" wrap="nowrap" align="flex-start">
          <Text component="dt" style={{ overflowWrap: 'anywhere' }}>
            {rowOf(k)?.label ?? k}
          </Text>
          <Text component="dd" m={0} fw={700} ta="right" data-testid={testIdOf?.(k)}>
            {figureText(figures[k], rowOf(k)?.kind ?? 'count', i18n.language)}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

function InstitutionCard({ data, keys, i, onAccept, onReturn }: Props & { i: ConsolidatedInstitution }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const figuresId = useId();
  return (
    <Paper component="li" withBorder radius="md" p="md" data-testid={`consolidated-row-${i.institutionId}`}>
      <Stack gap="sm">
        <div>
          <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
            {i.name}
          </Text>
          {!i.frozen && (
            <Text size="sm" c="gray.7">
              {t('reports.consolidated.live')}
            </Text>
          )}
        </div>
        <Group gap="xs" wrap="wrap">
          <Badge size="lg" color={STATUS_COLOR[i.status]} style={{ overflow: 'visible' }} data-testid="consolidated-status">
            {t(`reports.status.${i.status}`)}
          </Badge>
          {i.late && (
            <Badge size="lg" color="red">
              {t('reports.consolidated.late')}
            </Badge>
          )}
        </Group>
        <ReportTimes i={i} />
        {data.resourceCentre && i.status === 'submitted' && (
          <Stack gap="xs">
            <Button fullWidth size="md" h={48} onClick={() => onAccept(i)} data-testid="consolidated-accept">
              {t('reports.consolidated.accept')}
            </Button>
            <Button fullWidth size="md" h={48} variant="default" onClick={() => onReturn(i)} data-testid="consolidated-return">
              {t('reports.consolidated.return')}
            </Button>
          </Stack>
        )}
        <Button
          fullWidth
          size="md"
          h={48}
          variant="subtle"
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
          aria-controls={figuresId}
          data-testid="consolidated-figures-toggle"
        >
          {open ? t('staffScreens.consolidated.hideFigures') : t('staffScreens.consolidated.figures')}
        </Button>
        <Collapse expanded={open} id={figuresId}>
          <Figures data={data} keys={keys} figures={i.figures} />
        </Collapse>
      </Stack>
    </Paper>
  );
}

export function ConsolidatedCards(props: Props) {
  const { t } = useTranslation();
  const { data, keys } = props;
  return (
    <Stack gap="sm" data-testid="consolidated-cards">
      <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
        {data.institutions.map((i) => (
          <InstitutionCard key={i.institutionId} {...props} i={i} />
        ))}
      </Stack>
      <Paper withBorder radius="md" p="md" bg="gray.0">
        <Stack gap="sm">
          <Text fw={700}>{t('reports.consolidated.total')}</Text>
          <Figures data={data} keys={keys} figures={data.totals} testIdOf={(k) => `consolidated-total-${k}`} />
        </Stack>
      </Paper>
    </Stack>
  );
}

/** The desktop table's frame; nothing on a phone (the cards stand instead). */
export function TableBox({ hidden, children }: { hidden: boolean; children: ReactNode }) {
  return hidden ? null : (
    <Paper withBorder radius="md" p={0}>
      {children}
    </Paper>
  );
}
