import { Group, Paper, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import type { HealthSnapshot, SfuNodeStats, WorkerStats } from '@dp/protocol';
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CPU_HOT_PERCENT, type HealthFormat } from './format.ts';
import classes from './health.module.css';

// The dashboard's SFU nodes with their mediasoup workers, and the signalling instances.

type NodeView = Omit<SfuNodeStats, 'rooms'>;

interface WorkerLabels {
  cpu: string;
  memory: string;
  routers: string;
  transports: string;
  producers: string;
  consumers: string;
  hot: string;
}

export function Nodes({ nodes, signalling, fmt }: { nodes: NodeView[]; signalling: HealthSnapshot['signalling']; fmt: HealthFormat }) {
  const { t } = useTranslation();
  const workerLabels = useMemo<WorkerLabels>(
    () => ({
      cpu: t('health.nodes.cpu'),
      memory: t('health.nodes.memory'),
      routers: t('health.nodes.routers'),
      transports: t('health.nodes.transports'),
      producers: t('health.nodes.producers'),
      consumers: t('health.nodes.consumers'),
      hot: t('health.nodes.hot'),
    }),
    [t],
  );
  return (
    <section aria-labelledby="health-nodes-title">
      <Stack gap="sm">
        <Title order={2} id="health-nodes-title">
          {t('health.nodes.title')}
        </Title>
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
                    <Table.Caption style={{ captionSide: 'top', textAlign: 'left', marginTop: 0 }}>
                      {t('health.nodes.workers')}
                    </Table.Caption>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>PID</Table.Th>
                        <Table.Th className={classes.numHead}>{t('health.nodes.cpu')}</Table.Th>
                        <Table.Th className={classes.numHead}>{t('health.nodes.memory')}</Table.Th>
                        <Table.Th className={classes.numHead}>{t('health.nodes.routers')}</Table.Th>
                        <Table.Th className={classes.numHead}>{t('health.nodes.transports')}</Table.Th>
                        <Table.Th className={classes.numHead}>{t('health.nodes.producers')}</Table.Th>
                        <Table.Th className={classes.numHead}>{t('health.nodes.consumers')}</Table.Th>
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
                        <Table.Tr
                          key={s.instanceId}
                          data-testid={`signalling-${s.instanceId}`}
                          data-sockets={s.sockets}
                          data-rooms={s.rooms}
                        >
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
      </Stack>
    </section>
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
        data-routers={w.routers}
        data-transports={w.transports}
        data-producers={w.producers}
        data-consumers={w.consumers}
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
        <Table.Td className={classes.num} data-label={labels.routers}>
          {fmt.num(w.routers)}
        </Table.Td>
        <Table.Td className={classes.num} data-label={labels.transports}>
          {fmt.num(w.transports)}
        </Table.Td>
        <Table.Td className={classes.num} data-label={labels.producers}>
          {fmt.num(w.producers)}
        </Table.Td>
        <Table.Td className={classes.num} data-label={labels.consumers}>
          {fmt.num(w.consumers)}
        </Table.Td>
      </Table.Tr>
    );
  },
  (a, b) => a.fmt === b.fmt && a.labels === b.labels && (Object.keys(a.w) as (keyof WorkerStats)[]).every((k) => a.w[k] === b.w[k]),
);
