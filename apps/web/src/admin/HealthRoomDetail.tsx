import { CloseButton, Group, Loader, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ParticipantHealth, RoomHealth, RoomSeries } from '@dp/protocol';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roomTitle, scoreLevel, shortId, type HealthFormat } from './format.ts';
import { METRICS, MetricChart } from './HealthCharts.tsx';
import classes from './health.module.css';
import qualityClasses from './quality.module.css';
import { pathText, VideoQualityCell } from './VideoQuality.tsx';

// The selected room: its participants' figures and the room's and one participant's charts.

export function RoomDetail({
  roomId,
  room,
  series,
  seriesError,
  fmt,
  onClose,
}: {
  roomId: string;
  room: RoomHealth | null;
  series: RoomSeries | null;
  seriesError: string | null;
  fmt: HealthFormat;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  // The participant whose charts are shown: the weakest link when the room is opened.
  const [chartPeer, setChartPeer] = useState<string | null>(() => worst(room?.participants ?? [])?.peerId ?? null);

  useEffect(() => {
    panelRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    titleRef.current?.focus({ preventScroll: true });
  }, []);

  const participants = room?.participants ?? [];
  const peer = participants.find((p) => p.peerId === chartPeer) ?? worst(participants);
  const peerPoints = (peer && series?.participants[peer.peerId]) || EMPTY;
  const peerLabel = peer ? `${t(`health.roles.${peer.role}`)} ${shortId(peer.peerId)}` : '';

  return (
    <Paper
      ref={panelRef}
      radius="md"
      p={{ base: 'sm', sm: 'lg' }}
      className={classes.detail}
      data-testid="room-detail"
      data-room-id={roomId}
    >
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Title order={3} ref={titleRef} tabIndex={-1} className={classes.detailTitle}>
              {room ? roomTitle(t, room) : t('health.detail.closedTitle')}
            </Title>
            {room && (
              <Text size="sm" c="gray.7">
                {[
                  t(`health.phases.${room.phase}`),
                  room.minutesLeft === null ? null : t('health.detail.left', { time: timeLeftText(t, room.minutesLeft) }),
                  room.workerPid === null ? null : t('health.detail.worker', { pid: room.workerPid }),
                  `${t('health.detail.id')} ${shortId(room.roomId)}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            )}
          </Stack>
          <CloseButton size="xl" onClick={onClose} aria-label={t('health.detail.close')} data-testid="room-detail-close" />
        </Group>

        {!room ? (
          <Text size="lg">{t('health.detail.closed')}</Text>
        ) : participants.length === 0 ? (
          <Text size="lg" c="gray.7">
            {t('health.detail.empty')}
          </Text>
        ) : (
          <Stack gap={6}>
            <Table.ScrollContainer minWidth={1080} type="native" className={classes.cardsOnPhone}>
              <Table verticalSpacing={6} horizontalSpacing="xs" striped className={classes.participants} data-testid="participants-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('health.detail.role')}</Table.Th>
                    <Table.Th className={classes.numHead}>{t('health.detail.send')}</Table.Th>
                    <Table.Th className={classes.numHead}>{t('health.detail.recv')}</Table.Th>
                    <Table.Th className={classes.numHead}>{t('health.detail.loss')}</Table.Th>
                    <Table.Th className={classes.numHead}>{t('health.detail.rtt')}</Table.Th>
                    <Table.Th className={classes.numHead}>{t('health.detail.jitter')}</Table.Th>
                    <Table.Th className={classes.numHead} title={t('health.detail.repeatsHint')}>
                      {t('health.detail.repeats')}
                    </Table.Th>
                    <Table.Th title={t('health.detail.qualityHint')}>{t('health.detail.quality')}</Table.Th>
                    <Table.Th>{t('health.detail.ice')}</Table.Th>
                    <Table.Th className={classes.numHead}>{t('health.detail.score')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {participants.map((p) => (
                    <ParticipantRow key={p.peerId} p={p} room={participants} fmt={fmt} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <p className={qualityClasses.hint} data-testid="participants-hint">
              {t('health.detail.qualityHint')} {t('health.detail.repeatsHint')}
            </p>
          </Stack>
        )}

        {room && (
          <Stack gap="sm" data-testid="room-charts">
            <Title order={4}>{t('health.charts.title')}</Title>
            {seriesError ? (
              <Text c="red.8" role="alert">
                {seriesError}
              </Text>
            ) : !series ? (
              <Group gap="sm">
                <Loader size="sm" />
                <Text>{t('health.charts.loading')}</Text>
              </Group>
            ) : (
              <>
                <Group gap="lg" align="flex-end" wrap="wrap">
                  {peer && (
                    <NativeSelect
                      label={t('health.charts.participant')}
                      size="md"
                      value={peer.peerId}
                      onChange={(e) => setChartPeer(e.currentTarget.value)}
                      data={participants.map((p) => ({
                        value: p.peerId,
                        label: `${t(`health.roles.${p.role}`)} ${shortId(p.peerId)} · ${fmt.score(p.score)}`,
                      }))}
                      style={{ flex: '0 1 26rem', minWidth: 0 }}
                      data-testid="chart-participant"
                    />
                  )}
                  <ul className={classes.legend} aria-label={t('health.charts.legend')}>
                    <li>
                      <span className={classes.swatch} style={{ background: 'var(--mantine-color-sea-7)' }} />
                      {t('health.charts.roomLine')}
                    </li>
                    {peer && (
                      <li>
                        <span className={classes.swatch} style={{ background: 'var(--mantine-color-orange-8)' }} />
                        {peerLabel}
                      </li>
                    )}
                  </ul>
                </Group>
                <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
                  {METRICS.map((m) => (
                    <MetricChart
                      key={m}
                      metric={m}
                      room={series.room}
                      peer={peerPoints}
                      peerId={peer?.peerId ?? null}
                      peerLabel={peerLabel}
                      fmt={fmt}
                    />
                  ))}
                </SimpleGrid>
              </>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

const EMPTY: never[] = [];

function worst(list: readonly ParticipantHealth[]): ParticipantHealth | undefined {
  return list.reduce<ParticipantHealth | undefined>((w, p) => (!w || p.score < w.score ? p : w), undefined);
}

function timeLeftText(t: TFunction, m: number): string {
  const n = Math.ceil(m);
  return n <= 0 ? t('health.rooms.over') : t('health.rooms.minutes', { count: n });
}

const BAD_ICE = new Set(['disconnected', 'failed', 'closed']);

function ParticipantRow({ p, room, fmt }: { p: ParticipantHealth; room: readonly ParticipantHealth[]; fmt: HealthFormat }) {
  const { t } = useTranslation();
  const score = fmt.score(p.score);
  return (
    <Table.Tr
      data-testid={`participant-${p.peerId}`}
      data-role={p.role}
      data-send-bitrate={p.sendBitrate}
      data-recv-bitrate={p.recvBitrate}
      data-loss={p.lossPercent}
      data-rtt={p.rttMs}
      data-jitter={p.jitterMs}
      data-nack={p.nackCount}
      data-pli={p.pliCount}
      data-fir={p.firCount}
      data-fps={p.fps}
      data-frame-width={p.frameWidth}
      data-frame-height={p.frameHeight}
      data-layer={p.spatialLayer ?? ''}
      data-ice-state={p.iceState}
      data-path={p.path}
      data-relay-protocol={p.relayProtocol ?? ''}
      data-recv-estimate={p.recvEstimate ?? ''}
      data-send-estimate={p.sendEstimate ?? ''}
      data-send-limitation={p.sendLimitation ?? ''}
      data-score={p.score}
      data-browser-report={p.browserReport}
    >
      <Table.Td data-col="role" className={classes.role}>
        <Text size="sm" fw={600} span>
          {t(`health.roles.${p.role}`)}
        </Text>{' '}
        <span className={classes.peerId}>{shortId(p.peerId)}</span>
        {!p.browserReport && (
          <Text size="xs" c="gray.7" title={t('health.detail.serverOnlyHint')}>
            {t('health.detail.serverOnly')}
          </Text>
        )}
      </Table.Td>
      <Table.Td className={classes.num} data-label={t('health.detail.send')}>
        {fmt.kbps(p.sendBitrate)}
      </Table.Td>
      <Table.Td className={classes.num} data-label={t('health.detail.recv')}>
        {fmt.kbps(p.recvBitrate)}
      </Table.Td>
      <Table.Td
        className={`${classes.num} ${p.lossPercent > 5 ? classes.over : p.lossPercent > 2 ? classes.low : ''}`}
        data-label={t('health.detail.loss')}
      >
        {fmt.num(p.lossPercent, 1)}
      </Table.Td>
      <Table.Td
        className={`${classes.num} ${p.rttMs > 400 ? classes.over : p.rttMs > 200 ? classes.low : ''}`}
        data-label={t('health.detail.rtt')}
      >
        {fmt.num(p.rttMs)}
      </Table.Td>
      <Table.Td className={classes.num} data-label={t('health.detail.jitter')}>
        {fmt.num(p.jitterMs, 1)}
      </Table.Td>
      <Table.Td
        className={classes.num}
        data-label={t('health.detail.repeats')}
        title={t('health.detail.repeatsTitle', { nack: fmt.num(p.nackCount), pli: fmt.num(p.pliCount), fir: fmt.num(p.firCount) })}
      >
        {t('health.detail.repeatsValue', { nack: fmt.num(p.nackCount), frames: fmt.num(p.pliCount + p.firCount) })}
      </Table.Td>
      <Table.Td data-label={t('health.detail.quality')} data-testid={`participant-quality-${p.peerId}`}>
        <VideoQualityCell p={p} room={room} fmt={fmt} />
      </Table.Td>
      <Table.Td data-label={t('health.detail.ice')}>
        <span className={BAD_ICE.has(p.iceState) ? classes.over : undefined}>
          {t(`health.ice.${p.iceState}`, { defaultValue: p.iceState })}
        </span>
        <span
          className={`${classes.path} ${qualityClasses.pathInline}`}
          data-testid={`participant-path-${p.peerId}`}
          data-path={p.path}
          data-relay-protocol={p.relayProtocol ?? ''}
        >
          {pathText(t, p)}
        </span>
      </Table.Td>
      <Table.Td className={classes.num} data-col="score">
        <span className={classes.score} data-level={scoreLevel(p.score)} title={t('health.score', { score })}>
          {score}
        </span>
      </Table.Td>
    </Table.Tr>
  );
}
