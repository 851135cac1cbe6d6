import { Group, Paper, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import type { HealthSnapshot, SfuNodeStats, WorkerStats } from '@dp/protocol';
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CPU_HOT_PERCENT, type HealthFormat } from './format.ts';
import classes from './health.module.css';
import { HealthSection } from './HealthSection.tsx';

// The dashboard's SFU nodes with their mediasoup workers, and the signalling instances.

type NodeView = Omit<SfuNodeStats, 'rooms'>;

/** A worker's counts, a column each. */
const COUNTS = ['routers', 'transports', 'producers', 'consumers'] as const;
/** The worker table's columns after the PID (i18n keys health.nodes.<column>). */
const COLUMNS = ['cpu', 'memory', ...COUNTS] as const;

type WorkerLabels = Record<(typeof COLUMNS)[number] | 'hot', string>;

export function Nodes({ nodes, signalling, fmt }: { nodes: NodeView[]; signalling: HealthSnapshot['signalling']; fmt: HealthFormat }) {
  const { t } = useTranslation();
  const workerLabels = useMemo(
    () => Object.fromEntries([...COLUMNS, 'hot' as const].map((k) => [k, t(`health.nodes.${k}`)])) as WorkerLabels,
    [t],
  );
  return (
    <HealthSection id="nodes" title={t('health.nodes.title')}>
      {nodes.length === 0 && <Text c="gray.7">{t('health.nodes.none')}</Text>}
      <SimpleGrid cols={{ base: 1, xl: nodes.length > 1 ? 2 : 1 }} spacing="md">
        {nodes.map((n) => (
          <Paper key={n.nodeId} withBorder radius="md" p="sm" className={classes.node} data-testid={`node-${n.nodeId}`}>
            <Stack gap="xs">
              <Group justify="space-between" align="baseline" gap="xs">
                <Title order={3} style={{ overflowWrap: 'anywhere' }}>
                  {t('health.nodes.sfu', { id: n.nodeId })}
                </Title>
                <Text
                  size="sm"
                  data-testid={`node-process-${n.nodeId}`}
                  data-cpu={n.process.cpuPercent}
                  data-memory={n.process.memoryBytes}
                >
                  {t('health.nodes.process')}:{' '}
                  <span className={n.process.cpuPercent > CPU_HOT_PERCENT ? classes.hot : undefined}>
                    {t('health.nodes.cpuValue', { value: fmt.num(n.process.cpuPercent) })}
                  </span>
                  , {t('health.nodes.memoryValue', { value: fmt.bytes(n.process.memoryBytes) })}
                </Text>
              </Group>
              <Table.ScrollContainer minWidth={500} type="native" className={classes.cardsOnPhone}>
                <Table verticalSpacing={6} horizontalSpacing={8} fz="sm" striped className={classes.workers}>
                  <Table.Caption style={{ captionSide: 'top', textAlign: 'left', marginTop: 0 }}>{t('health.nodes.workers')}</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>PID</Table.Th>
                      {COLUMNS.map((k) => (
                        <Table.Th key={k} className={classes.numHead}>
                          {workerLabels[k]}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {n.workers.map((w) => (
                      <WorkerRow key={w.pid} w={w} fmt={fmt} labels={workerLabels} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          </Paper>
        ))}
        {signalling.length > 0 && (
          <Paper withBorder radius="md" p="sm" className={classes.node}>
            <Stack gap="xs">
              <Title order={3}>{t('health.nodes.signalling')}</Title>
              <Table.ScrollContainer minWidth={320} type="native" maw={640}>
                <Table verticalSpacing={6} horizontalSpacing={8} fz="sm" striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('health.nodes.instance')}</Table.Th>
                      <Table.Th className={classes.num}>{t('health.nodes.sockets')}</Table.Th>
                      <Table.Th className={classes.num}>{t('health.nodes.rooms')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {signalling.map((s) => (
                      <Table.Tr key={s.instanceId} data-testid={`signalling-${s.instanceId}`} data-sockets={s.sockets} data-rooms={s.rooms}>
                        <Table.Td style={{ overflowWrap: 'anywhere' }}>{s.instanceId}</Table.Td>
                        <Table.Td className={classes.num}>{fmt.num(s.sockets)}</Table.Td>
                        <Table.Td className={classes.num}>{fmt.num(s.rooms)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          </Paper>
        )}
      </SimpleGrid>
    </HealthSection>
  );
}

const WorkerRow = memo(
  function WorkerRow({ w, fmt, labels }: { w: WorkerStats; fmt: HealthFormat; labels: WorkerLabels }) {
    const hot = w.cpuPercent > CPU_HOT_PERCENT;
    return (
      <Table.Tr
        data-testid={`worker-${w.pid}`}
        data-cpu={w.cpuPercent}
        data-memory={w.memoryBytes}
        {...Object.fromEntries(COUNTS.map((k) => [`data-${k}`, w[k]]))}
        data-hot={hot}
      >
        <Table.Td className={classes.nowrap} data-col="pid" data-label="PID">
          {w.pid}
        </Table.Td>
        <Table.Td
          className={hot ? `${classes.num} ${classes.hot}` : classes.num}
          title={hot ? labels.hot : undefined}
          data-label={labels.cpu}
        >
          {fmt.num(w.cpuPercent)} %{hot && <VisuallyHidden component="span"> — {labels.hot}</VisuallyHidden>}
        </Table.Td>
        <Table.Td className={classes.num} data-label={labels.memory}>
          {fmt.bytes(w.memoryBytes)}
        </Table.Td>
        {COUNTS.map((k) => (
          <Table.Td key={k} className={classes.num} data-label={labels[k]}>
            {fmt.num(w[k])}
          </Table.Td>
        ))}
      </Table.Tr>
    );
  },
  (a, b) => a.fmt === b.fmt && a.labels === b.labels && (Object.keys(a.w) as (keyof WorkerStats)[]).every((k) => a.w[k] === b.w[k]),
);
