import { Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import type { HealthSnapshot, RoomSeries } from '@dp/protocol';
import { useCallback, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useHealthFormat } from './format.ts';
import { Alerts } from './HealthAlerts.tsx';
import { Nodes } from './HealthNodes.tsx';
import { RoomDetail } from './HealthRoomDetail.tsx';
import { Rooms } from './HealthRooms.tsx';

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
