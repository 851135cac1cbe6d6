import {
  Button,
  Center,
  CloseButton,
  Group,
  Input,
  Loader,
  NativeSelect,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type {
  HealthAlert,
  HealthSnapshot,
  ParticipantHealth,
  RoomHealth,
  RoomKind,
  RoomPhase,
  RoomSeries,
  SfuNodeStats,
  WorkerStats,
} from '@dp/protocol';
import type { TFunction } from 'i18next';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CPU_HOT_PERCENT, MINUTES_LOW, scoreLevel, shortId, useHealthFormat, type HealthFormat } from './format.ts';
import { METRICS, MetricChart } from './HealthCharts.tsx';
import classes from './health.module.css';

// The room-health dashboard, drawn from props only (no socket): the live page feeds it
// from `/admin`, the dev route from synthetic data. Every figure carries a stable
// data-testid and its raw number in a data-* attribute for end-to-end tests.

export interface HealthViewProps {
  /** The latest snapshot (null until the first one arrives). */
  snapshot: HealthSnapshot | null;
  /** The selected room's charts (null while loading or when none is selected). */
  series: RoomSeries | null;
  selectedRoomId: string | null;
  onSelectRoom(roomId: string | null): void;
  /** Why the charts could not be loaded, in words. */
  seriesError?: string | null;
  /** A connection banner under the title (the live page's). */
  status?: ReactNode;
}

type NodeView = Omit<SfuNodeStats, 'rooms'>;

/** Labels the room rows need, translated once per language rather than per row. */
interface RowLabels {
  kinds: Record<RoomKind, string>;
  phases: Record<RoomPhase, string>;
  minutes: (n: number) => string;
  over: string;
  noLimit: string;
  noSpecialist: string;
  timeLeft: string;
  participants: string;
  scoreTitle: (score: string) => string;
  open: (kind: string) => string;
}

/** Alerts listed before «show all» (fewer on a phone, where each takes several lines). */
const ALERTS_SHOWN = 5;
const ALERTS_SHOWN_PHONE = 3;

/** One collator for the names (String#localeCompare with a locale builds one per call: slow on a hundred rooms). */
const collator = new Intl.Collator('ru');
/** Ids and ISO times: plain code-unit order. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function HealthView({ snapshot, series, selectedRoomId, onSelectRoom, seriesError = null, status }: HealthViewProps) {
  const { t } = useTranslation();
  const fmt = useHealthFormat();
  const selected = useMemo(
    () => (selectedRoomId && snapshot ? (snapshot.rooms.find((r) => r.roomId === selectedRoomId) ?? null) : null),
    [snapshot, selectedRoomId],
  );

  const close = useCallback(() => {
    const id = selectedRoomId;
    onSelectRoom(null);
    // Back to where the user was in the list.
    if (id) requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-room-button="${CSS.escape(id)}"]`)?.focus());
  }, [onSelectRoom, selectedRoomId]);

  return (
    <Stack gap="xl" data-testid="health-view">
      <Stack gap={6}>
        <Group justify="space-between" align="baseline" gap="xs" wrap="wrap">
          <Title order={1}>{t('health.title')}</Title>
          {snapshot && (
            <Text c="gray.7" data-testid="health-updated-at" data-at={snapshot.at}>
              {t('health.updatedAt', { time: fmt.time(snapshot.at) })}
            </Text>
          )}
        </Group>
        {status}
      </Stack>
      {!snapshot ? (
        // The live page's connection banner, when there is one, already says why nothing is shown.
        status ? null : (
          <Center mih={200} role="status">
            <Group gap="md">
              <Loader size="md" />
              <Text size="lg">{t('health.waiting')}</Text>
            </Group>
          </Center>
        )
      ) : (
        <>
          <Alerts snapshot={snapshot} fmt={fmt} onSelectRoom={onSelectRoom} />
          <Nodes nodes={snapshot.nodes} signalling={snapshot.signalling} fmt={fmt} />
          <Rooms
            rooms={snapshot.rooms}
            selectedRoomId={selectedRoomId}
            onSelectRoom={onSelectRoom}
            fmt={fmt}
            detail={
              selectedRoomId ? (
                <RoomDetail
                  key={selectedRoomId}
                  roomId={selectedRoomId}
                  room={selected}
                  series={series && series.roomId === selectedRoomId ? series : null}
                  seriesError={seriesError}
                  fmt={fmt}
                  onClose={close}
                />
              ) : null
            }
          />
        </>
      )}
    </Stack>
  );
}

// --- alerts ---------------------------------------------------------------------------------

function Alerts({ snapshot, fmt, onSelectRoom }: { snapshot: HealthSnapshot; fmt: HealthFormat; onSelectRoom(id: string): void }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const phone = useMediaQuery('(max-width: 48em)');
  const limit = phone ? ALERTS_SHOWN_PHONE : ALERTS_SHOWN;
  const rooms = useMemo(() => new Map(snapshot.rooms.map((r) => [r.roomId, r])), [snapshot.rooms]);
  const nodeOf = useMemo(() => {
    const m = new Map<number, string>();
    for (const n of snapshot.nodes) for (const w of n.workers) m.set(w.pid, n.nodeId);
    return m;
  }, [snapshot.nodes]);
  // Critical first, then the longest-standing: an alert keeps its place while it lasts.
  const alerts = useMemo(
    () =>
      [...snapshot.alerts].sort(
        (a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1) || cmp(a.since, b.since) || cmp(a.id, b.id),
      ),
    [snapshot.alerts],
  );
  const critical = alerts.filter((a) => a.severity === 'critical').length;
  const shown = all ? alerts : alerts.slice(0, limit);

  const who = (a: HealthAlert) => {
    const room = a.roomId ? rooms.get(a.roomId) : undefined;
    const p = a.peerId ? room?.participants.find((x) => x.peerId === a.peerId) : undefined;
    if (p) return `${t(`health.roles.${p.role}`)} ${shortId(p.peerId)}`;
    return a.peerId ? `${t('health.alerts.someone')} ${shortId(a.peerId)}` : t('health.alerts.someone');
  };
  const sentence = (a: HealthAlert) =>
    t(`health.alerts.kinds.${a.kind}`, {
      value: a.value === null ? '—' : fmt.num(a.value, a.kind === 'loss' || a.kind === 'worker_cpu' ? 1 : 0),
      who: who(a),
      pid: a.workerPid ?? '—',
    });
  const where = (a: HealthAlert) => {
    const room = a.roomId ? rooms.get(a.roomId) : undefined;
    if (room) return roomTitle(t, room);
    if (a.workerPid !== null) return t('health.nodes.sfu', { id: nodeOf.get(a.workerPid) ?? '—' });
    return a.roomId ? t('health.alerts.roomClosed') : '';
  };

  return (
    <section aria-labelledby="health-alerts-title">
      <Stack gap="sm">
        <Group gap="sm" align="baseline">
          <Title order={2} id="health-alerts-title">
            {t('health.alerts.title')}
          </Title>
          {alerts.length > 0 && (
            <Text c="gray.7" data-testid="alerts-count" data-count={alerts.length} data-critical={critical}>
              {t('health.alerts.count', { count: alerts.length, critical })}
            </Text>
          )}
        </Group>
        {/* Polite live region: a new alert (or one gone) is read out; figures changing inside
            an alert every 2 s are not (aria-relevant leaves out text changes). */}
        <div role="status" aria-live="polite" aria-relevant="additions removals" data-testid="health-alerts">
          {alerts.length === 0 ? (
            <Text size="lg" data-testid="alerts-none">
              {t('health.alerts.none')}
            </Text>
          ) : (
            <ul className={classes.alerts}>
              {shown.map((a) => {
                const room = a.roomId ? rooms.get(a.roomId) : undefined;
                return (
                  <li
                    key={a.id}
                    className={classes.alert}
                    data-severity={a.severity}
                    data-testid={`alert-${a.kind}`}
                    data-alert-id={a.id}
                    data-room-id={a.roomId ?? ''}
                    data-value={a.value ?? ''}
                  >
                    <span className={classes.severity}>{t(`health.alerts.${a.severity}`)}</span>
                    <div className={classes.alertText}>
                      <span className={classes.alertSentence}>{sentence(a)}</span>
                      <span className={classes.alertWhere} title={where(a)}>
                        {where(a)}
                      </span>
                    </div>
                    <span className={classes.alertSince}>{t('health.alerts.since', { time: fmt.time(a.since) })}</span>
                    {room ? (
                      <Button variant="default" size="sm" className={classes.alertOpen} onClick={() => onSelectRoom(room.roomId)}>
                        {t('health.alerts.open')}
                      </Button>
                    ) : (
                      <span className={classes.alertOpen} />
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
        {alerts.length > limit && (
          <Button
            variant="subtle"
            size="md"
            onClick={() => setAll((v) => !v)}
            className={classes.wrapButton}
            aria-expanded={all}
            data-testid="alerts-toggle"
          >
            {all ? t('health.alerts.fewer') : t('health.alerts.all', { count: alerts.length })}
          </Button>
        )}
      </Stack>
    </section>
  );
}

function roomTitle(t: TFunction, room: RoomHealth): string {
  return [t(`health.kinds.${room.kind}`), room.institution, room.specialist].filter(Boolean).join(' · ');
}

// --- nodes and workers -------------------------------------------------------------------

interface WorkerLabels {
  cpu: string;
  memory: string;
  routers: string;
  transports: string;
  producers: string;
  consumers: string;
  hot: string;
}

function Nodes({ nodes, signalling, fmt }: { nodes: NodeView[]; signalling: HealthSnapshot['signalling']; fmt: HealthFormat }) {
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

// --- rooms -----------------------------------------------------------------------------------

type Sort = 'institution' | 'worst';

function Rooms({
  rooms,
  selectedRoomId,
  onSelectRoom,
  fmt,
  detail,
}: {
  rooms: RoomHealth[];
  selectedRoomId: string | null;
  onSelectRoom(id: string): void;
  fmt: HealthFormat;
  detail: ReactNode;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<Sort>('institution');
  const deferredQuery = useDeferredValue(query);

  const labels = useMemo<RowLabels>(
    () => ({
      kinds: { one_to_one: t('health.kinds.one_to_one'), webinar: t('health.kinds.webinar'), dyad: t('health.kinds.dyad') },
      phases: {
        precheck: t('health.phases.precheck'),
        waiting: t('health.phases.waiting'),
        live: t('health.phases.live'),
        closing: t('health.phases.closing'),
      },
      minutes: (n) => t('health.rooms.minutes', { count: n }),
      over: t('health.rooms.over'),
      noLimit: t('health.rooms.noLimit'),
      noSpecialist: '—',
      timeLeft: t('health.rooms.timeLeft'),
      participants: t('health.rooms.participants'),
      scoreTitle: (score) => t('health.score', { score }),
      open: (kind) => t('health.rooms.open', { kind }),
    }),
    // `t` changes with the language, so the labels follow a language switch.
    [t],
  );

  const visible = useMemo(() => {
    const q = deferredQuery.trim().toLocaleLowerCase('ru');
    const list = q
      ? rooms.filter((r) =>
          [labels.kinds[r.kind], r.institution, r.specialist, labels.phases[r.phase], r.roomId].some((s) =>
            s.toLocaleLowerCase('ru').includes(q),
          ),
        )
      : [...rooms];
    if (sort === 'worst') list.sort((a, b) => a.score - b.score || cmp(a.roomId, b.roomId));
    else
      list.sort(
        (a, b) => collator.compare(a.institution, b.institution) || collator.compare(a.specialist, b.specialist) || cmp(a.roomId, b.roomId),
      );
    return list;
  }, [rooms, deferredQuery, sort, labels]);

  const live = rooms.filter((r) => r.phase === 'live').length;
  const people = rooms.reduce((s, r) => s + r.participants.length, 0);

  return (
    <section aria-labelledby="health-rooms-title">
      <Stack gap="sm">
        <Group gap="sm" align="baseline">
          <Title order={2} id="health-rooms-title">
            {t('health.rooms.title')}
          </Title>
          <Text c="gray.7" data-testid="rooms-count" data-rooms={rooms.length} data-live={live} data-participants={people}>
            {t('health.rooms.summary', { rooms: rooms.length, live, people })}
          </Text>
        </Group>
        {detail}
        <RoomsControls query={query} onQuery={setQuery} sort={sort} onSort={setSort} />
        {rooms.length === 0 ? (
          <Text size="lg" c="gray.7" data-testid="rooms-empty">
            {t('health.rooms.empty')}
          </Text>
        ) : visible.length === 0 ? (
          <Text size="lg" c="gray.7">
            {t('health.rooms.nothingFound')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={960} type="native" className={classes.cardsOnPhone}>
            <Table
              layout="fixed"
              verticalSpacing={8}
              horizontalSpacing="sm"
              striped
              className={classes.roomsTable}
              data-testid="rooms-table"
            >
              <RoomsHead />
              <Table.Tbody>
                {visible.map((r) => (
                  <RoomRow
                    key={r.roomId}
                    room={r}
                    selected={r.roomId === selectedRoomId}
                    onSelect={onSelectRoom}
                    labels={labels}
                    fmt={fmt}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </section>
  );
}

/** The search and the order: drawn again only when they change, not with every snapshot. */
const RoomsControls = memo(function RoomsControls({
  query,
  onQuery,
  sort,
  onSort,
}: {
  query: string;
  onQuery(q: string): void;
  sort: Sort;
  onSort(s: Sort): void;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="md" align="flex-end" wrap="wrap">
      <TextInput
        label={t('health.rooms.filter')}
        placeholder={t('health.rooms.filterHint')}
        size="md"
        type="search"
        value={query}
        onChange={(e) => onQuery(e.currentTarget.value)}
        style={{ flex: '1 1 18rem', maxWidth: '32rem' }}
        data-testid="rooms-filter"
      />
      <Input.Wrapper
        label={t('health.rooms.sort')}
        size="md"
        labelElement="div"
        labelProps={{ id: 'rooms-sort-label' }}
        className={classes.sort}
      >
        <SegmentedControl
          size="md"
          fullWidth
          classNames={{ label: classes.sortLabel }}
          value={sort}
          onChange={(v) => onSort(v as Sort)}
          aria-labelledby="rooms-sort-label"
          data={[
            { value: 'institution', label: t('health.rooms.sortInstitution') },
            { value: 'worst', label: t('health.rooms.sortWorst') },
          ]}
          data-testid="rooms-sort"
        />
      </Input.Wrapper>
    </Group>
  );
});

/** The head row (fixed widths in the stylesheet; the institution takes the rest). */
const RoomsHead = memo(function RoomsHead() {
  const { t } = useTranslation();
  return (
    <Table.Thead>
      <Table.Tr>
        <Table.Th data-col="kind">{t('health.rooms.kind')}</Table.Th>
        <Table.Th data-col="score">{t('health.rooms.score')}</Table.Th>
        <Table.Th data-col="institution">{t('health.rooms.institution')}</Table.Th>
        <Table.Th data-col="specialist">{t('health.rooms.specialist')}</Table.Th>
        <Table.Th data-col="phase">{t('health.rooms.phase')}</Table.Th>
        <Table.Th className={classes.num} data-col="time">
          {t('health.rooms.timeLeft')}
        </Table.Th>
        <Table.Th className={classes.num} data-col="people">
          {t('health.rooms.participants')}
        </Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
});

const minutesShown = (m: number | null) => (m === null ? null : Math.ceil(m));

interface RoomRowProps {
  room: RoomHealth;
  selected: boolean;
  onSelect(id: string): void;
  labels: RowLabels;
  fmt: HealthFormat;
}

/**
 * One room: redrawn only when something it shows changed (every snapshot brings new
 * objects, so the default shallow comparison would redraw all hundred rows each time).
 */
const RoomRow = memo(
  function RoomRow({ room, selected, onSelect, labels, fmt }: RoomRowProps) {
    const minutes = minutesShown(room.minutesLeft);
    const kind = labels.kinds[room.kind];
    const score = fmt.score(room.score);
    return (
      <Table.Tr
        data-testid={`room-${room.roomId}`}
        data-score={room.score}
        data-phase={room.phase}
        data-kind={room.kind}
        data-minutes-left={minutes ?? ''}
        data-participants={room.participants.length}
        data-selected={selected}
        onClick={() => onSelect(room.roomId)}
      >
        <Table.Td data-col="kind">
          <button
            type="button"
            className={classes.rowButton}
            aria-label={labels.open(`${kind}, ${room.institution}`)}
            aria-pressed={selected}
            data-room-button={room.roomId}
            onClick={(e) => {
              e.stopPropagation();
              onSelect(room.roomId);
            }}
          >
            {kind}
          </button>
        </Table.Td>
        <Table.Td data-col="score">
          <span className={classes.score} data-level={scoreLevel(room.score)} title={labels.scoreTitle(score)}>
            {score}
          </span>
        </Table.Td>
        <Table.Td data-col="institution">
          <div className={classes.clip} title={room.institution}>
            {room.institution}
          </div>
        </Table.Td>
        <Table.Td data-col="specialist" data-empty={room.specialist ? undefined : true}>
          <div className={classes.clip} title={room.specialist || undefined}>
            {room.specialist || labels.noSpecialist}
          </div>
        </Table.Td>
        <Table.Td className={classes.phase} data-col="phase" data-phase={room.phase}>
          {labels.phases[room.phase]}
        </Table.Td>
        <Table.Td
          className={`${classes.num} ${minutes === null ? '' : minutes <= 0 ? classes.over : minutes <= MINUTES_LOW ? classes.low : ''}`}
          data-col="time"
          data-label={labels.timeLeft}
        >
          {minutes === null ? labels.noLimit : minutes <= 0 ? labels.over : labels.minutes(minutes)}
        </Table.Td>
        <Table.Td className={classes.num} data-col="people" data-label={labels.participants}>
          {room.participants.length}
        </Table.Td>
      </Table.Tr>
    );
  },
  (a, b) =>
    a.selected === b.selected &&
    a.labels === b.labels &&
    a.fmt === b.fmt &&
    a.onSelect === b.onSelect &&
    a.room.roomId === b.room.roomId &&
    a.room.score === b.room.score &&
    a.room.phase === b.room.phase &&
    a.room.kind === b.room.kind &&
    a.room.institution === b.room.institution &&
    a.room.specialist === b.room.specialist &&
    a.room.participants.length === b.room.participants.length &&
    minutesShown(a.room.minutesLeft) === minutesShown(b.room.minutesLeft),
);

// --- the selected room ---------------------------------------------------------------------

function RoomDetail({
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
          <Table.ScrollContainer minWidth={980} type="native" className={classes.cardsOnPhone}>
            <Table verticalSpacing={6} horizontalSpacing="xs" striped className={classes.participants} data-testid="participants-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('health.detail.role')}</Table.Th>
                  <Table.Th className={classes.numHead}>{t('health.detail.send')}</Table.Th>
                  <Table.Th className={classes.numHead}>{t('health.detail.recv')}</Table.Th>
                  <Table.Th className={classes.numHead}>{t('health.detail.loss')}</Table.Th>
                  <Table.Th className={classes.numHead}>{t('health.detail.rtt')}</Table.Th>
                  <Table.Th className={classes.numHead}>{t('health.detail.jitter')}</Table.Th>
                  <Table.Th className={classes.numHead}>NACK / PLI / FIR</Table.Th>
                  <Table.Th>{t('health.detail.video')}</Table.Th>
                  <Table.Th>{t('health.detail.layer')}</Table.Th>
                  <Table.Th>{t('health.detail.ice')}</Table.Th>
                  <Table.Th className={classes.numHead}>{t('health.detail.score')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {participants.map((p) => (
                  <ParticipantRow key={p.peerId} p={p} fmt={fmt} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
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

function ParticipantRow({ p, fmt }: { p: ParticipantHealth; fmt: HealthFormat }) {
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
      <Table.Td className={classes.num} data-label="NACK / PLI / FIR">
        {fmt.num(p.nackCount)} / {fmt.num(p.pliCount)} / {fmt.num(p.firCount)}
      </Table.Td>
      <Table.Td className={classes.nowrap} data-label={t('health.detail.video')}>
        {p.fps > 0 || p.frameWidth > 0
          ? t('health.detail.videoValue', { fps: fmt.num(p.fps), width: p.frameWidth, height: p.frameHeight })
          : t('health.detail.noVideo')}
      </Table.Td>
      <Table.Td className={classes.nowrap} data-label={t('health.detail.layer')}>
        {p.spatialLayer === null ? '—' : t(`health.layers.${p.spatialLayer}`, { defaultValue: String(p.spatialLayer) })}
      </Table.Td>
      <Table.Td data-label={t('health.detail.ice')}>
        <span className={BAD_ICE.has(p.iceState) ? classes.over : undefined}>
          {t(`health.ice.${p.iceState}`, { defaultValue: p.iceState })}
        </span>
        <span className={classes.path}>{t(`health.paths.${p.path}`)}</span>
      </Table.Td>
      <Table.Td className={classes.num} data-col="score">
        <span className={classes.score} data-level={scoreLevel(p.score)} title={t('health.score', { score })}>
          {score}
        </span>
      </Table.Td>
    </Table.Tr>
  );
}
