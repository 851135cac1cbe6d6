import { Group, Input, SegmentedControl, Table, Text, TextInput } from '@mantine/core';
import type { RoomHealth, RoomKind, RoomPhase } from '@dp/protocol';
import { memo, useDeferredValue, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { cmp, MINUTES_LOW, scoreLevel, type HealthFormat } from './format.ts';
import classes from './health.module.css';
import { HealthSection } from './HealthSection.tsx';

// The dashboard's list of open rooms: a search, an order, and one memoised row per room.

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

/** One collator for the names (String#localeCompare with a locale builds one per call: slow on a hundred rooms). */
const collator = new Intl.Collator('ru');

type Sort = 'institution' | 'worst';

export function Rooms({
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
    <HealthSection
      id="rooms"
      title={t('health.rooms.title')}
      aside={
        <Text c="gray.7" data-testid="rooms-count" data-rooms={rooms.length} data-live={live} data-participants={people}>
          {t('health.rooms.summary', { rooms: rooms.length, live, people })}
        </Text>
      }
    >
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
          <Table layout="fixed" verticalSpacing={8} horizontalSpacing="sm" striped className={classes.roomsTable} data-testid="rooms-table">
            <RoomsHead />
            <Table.Tbody>
              {visible.map((r) => (
                <RoomRow key={r.roomId} room={r} selected={r.roomId === selectedRoomId} onSelect={onSelectRoom} labels={labels} fmt={fmt} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </HealthSection>
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
