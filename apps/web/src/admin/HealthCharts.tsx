import { LineChart } from '@mantine/charts';
import { Text } from '@mantine/core';
import { HEALTH_HISTORY_MS, HEALTH_INTERVAL_MS, type SeriesPoint } from '@dp/protocol';
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthFormat } from './format.ts';
import classes from './health.module.css';

// The charts of the selected room over the last 10 minutes: one chart per figure (bitrate,
// loss, RTT), each with two lines — the room as a whole and the chosen participant. Three
// charts rather than six: a recharts chart costs mostly per chart, not per point, and all
// of them redraw with every push (2 s).

export type Metric = 'bitrate' | 'loss' | 'rtt';
export const METRICS: readonly Metric[] = ['bitrate', 'loss', 'rtt'];

/** The two lines' colours (the legend above the charts uses the same). */
export const ROOM_COLOR = 'sea.7';
export const PEER_COLOR = 'orange.8';

const TICK_MS = 2 * 60_000;
/** Most points a line draws (a 10-minute series has 300: more than a small chart has pixels). */
const MAX_POINTS = 150;

interface Row {
  t: number;
  room?: number;
  peer?: number;
}

const valueOf = (metric: Metric, p: SeriesPoint) =>
  metric === 'bitrate' ? Math.round(p.bitrate / 1000) : metric === 'loss' ? p.lossPercent : p.rttMs;

/**
 * Merges neighbouring points into time buckets fixed to the clock (so the line does not
 * shimmer as points arrive): loss and RTT keep each bucket's worst, bitrate its mean.
 */
export function downsample(points: readonly SeriesPoint[], metric: Metric, max = MAX_POINTS): { t: number; value: number }[] {
  const rows = points.map((p) => ({ t: p.t, value: valueOf(metric, p) }));
  if (rows.length <= max) return rows;
  const width = Math.ceil(rows.length / max) * HEALTH_INTERVAL_MS;
  const out: { t: number; value: number }[] = [];
  let bucket = NaN;
  let sum = 0;
  let n = 0;
  let worst = -Infinity;
  let t = 0;
  const flush = () => {
    if (n > 0) out.push({ t, value: metric === 'bitrate' ? Math.round(sum / n) : worst });
  };
  for (const r of rows) {
    const b = Math.floor(r.t / width);
    if (b !== bucket) {
      flush();
      bucket = b;
      sum = 0;
      n = 0;
      worst = -Infinity;
    }
    sum += r.value;
    n += 1;
    worst = Math.max(worst, r.value);
    t = r.t;
  }
  flush();
  return out;
}

/** Four even steps from 0 to a round top at or above `max` (1, 2, 2.5 or 5 × 10ⁿ a step). */
export function niceTicks(max: number, floor: number): number[] {
  const top = Math.max(max, floor);
  const raw = top / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * pow >= raw) ?? 10) * pow;
  return [0, step, step * 2, step * 3, step * 4];
}

/** The least top of each chart's scale, so that small figures look small. */
const FLOOR: Record<Metric, number> = { bitrate: 100, loss: 4, rtt: 100 };

const lastOf = (points: readonly SeriesPoint[], metric: Metric) => {
  const p = points.at(-1);
  return p ? valueOf(metric, p) : null;
};
const maxOf = (points: readonly SeriesPoint[], metric: Metric) => points.reduce((m, p) => Math.max(m, valueOf(metric, p)), 0);

/**
 * One figure: the room's line and the participant's. `data-testid="chart-<metric>"`; the
 * raw latest figures in data-room-last / data-peer-last (kbit/s, %, ms).
 */
export const MetricChart = memo(function MetricChart({
  metric,
  room,
  peer,
  peerId,
  peerLabel,
  fmt,
}: {
  metric: Metric;
  room: readonly SeriesPoint[];
  peer: readonly SeriesPoint[];
  peerId: string | null;
  peerLabel: string;
  fmt: HealthFormat;
}) {
  const { t } = useTranslation();
  const data = useMemo<Row[]>(() => {
    const rows = new Map<number, Row>();
    for (const p of downsample(room, metric)) rows.set(p.t, { t: p.t, room: p.value });
    for (const p of downsample(peer, metric)) {
      const row = rows.get(p.t);
      if (row) row.peer = p.value;
      else rows.set(p.t, { t: p.t, peer: p.value });
    }
    return [...rows.values()].sort((a, b) => a.t - b.t);
  }, [room, peer, metric]);

  const digits = metric === 'loss' ? 1 : 0;
  const roomLast = lastOf(room, metric);
  const peerLast = lastOf(peer, metric);
  const max = Math.max(maxOf(room, metric), maxOf(peer, metric));
  const yTicks = useMemo(() => niceTicks(max, FLOOR[metric]), [max, metric]);
  const end = Math.max(room.at(-1)?.t ?? 0, peer.at(-1)?.t ?? 0);
  const start = end - HEALTH_HISTORY_MS;
  const xTicks = useMemo(() => {
    const out: number[] = [];
    for (let x = Math.ceil(start / TICK_MS) * TICK_MS; x <= end; x += TICK_MS) out.push(x);
    return out;
  }, [start, end]);

  const title = t(`health.charts.${metric}`);
  const unit = t(`health.units.${metric}`);
  // No line break between a figure and its unit.
  const value = (v: number | null) => (v === null ? '—' : `${fmt.num(v, digits)}\u00a0${unit}`);
  return (
    <figure
      className={classes.chart}
      data-testid={`chart-${metric}`}
      data-room-points={room.length}
      data-room-last={roomLast ?? ''}
      data-peer-id={peerId ?? ''}
      data-peer-points={peer.length}
      data-peer-last={peerLast ?? ''}
    >
      <figcaption>
        <Text className={classes.chartTitle}>{title}</Text>
        <Text size="xs" c="gray.7">
          {data.length === 0
            ? t('health.charts.noData')
            : t('health.charts.now', { room: value(roomLast), peer: value(peerLast), max: value(max) })}
        </Text>
      </figcaption>
      {data.length > 1 && (
        <LineChart
          h={160}
          mt={6}
          data={data}
          dataKey="t"
          series={[
            { name: 'room', label: t('health.charts.roomLine'), color: ROOM_COLOR },
            { name: 'peer', label: peerLabel, color: PEER_COLOR },
          ]}
          curveType="linear"
          withDots={false}
          strokeWidth={2}
          connectNulls
          gridAxis="xy"
          tickLine="xy"
          tooltipAnimationDuration={0}
          lineProps={{ isAnimationActive: false }}
          valueFormatter={(v) => `${fmt.num(v, digits)} ${unit}`}
          xAxisProps={{
            type: 'number',
            scale: 'time',
            domain: [start, end],
            ticks: xTicks,
            tickFormatter: (v: number) => fmt.clock(v),
            allowDataOverflow: true,
          }}
          yAxisProps={{
            width: 52,
            domain: [0, yTicks[4] ?? 'auto'],
            ticks: yTicks,
            interval: 0,
            tickFormatter: (v: number) => fmt.num(v, digits),
          }}
          tooltipProps={{ labelFormatter: (label: unknown) => (typeof label === 'number' ? fmt.time(label) : String(label)) }}
        />
      )}
    </figure>
  );
});
