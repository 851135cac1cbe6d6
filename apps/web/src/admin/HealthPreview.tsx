import { Container } from '@mantine/core';
import { HEALTH_INTERVAL_MS } from '@dp/protocol';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import { AppHeader } from '../ui/AppHeader.tsx';
import { HealthView } from './HealthView.tsx';
import { syntheticRoomId, syntheticSeries, syntheticSnapshot } from './synthetic.ts';
import './mantine-admin-styles.ts';
import pageClasses from '../staff/StaffPage.module.css';

// Development only (see router.tsx): the dashboard with a synthetic snapshot, to look at
// the layout and check it stays quick without a server. `?rooms=100` (default 100);
// `?room=3` or `?room=<roomId>` selects a room; `?tick=N` starts N pushes later; `?live=1`
// pushes a new snapshot every 2 s. In the console, `__healthPreview.step()` pushes one
// snapshot synchronously and answers how long generating, rendering and committing it took
// (ms); `__healthPreview.generate()` times the generator alone; `__healthPreview.remount(100)`
// empties the page and draws 100 rooms from nothing.

declare global {
  interface Window {
    __healthPreview?: { step(): number; generate(): number; remount(rooms: number): number; tick(): number };
  }
}

export function HealthPreview() {
  const q = new URLSearchParams(location.search);
  const [rooms, setRooms] = useState(() => Math.max(0, Math.min(2000, Number(q.get('rooms') ?? 100) || 0)));
  const [tick, setTick] = useState(() => Math.max(0, Number(q.get('tick') ?? 0) || 0));
  const [selected, setSelected] = useState<string | null>(() => {
    const r = q.get('room');
    if (!r) return null;
    return /^\d+$/.test(r) ? syntheticRoomId(Number(r) - 1) : r;
  });
  const live = q.get('live') === '1';

  const snapshot = useMemo(() => syntheticSnapshot(rooms, tick), [rooms, tick]);
  const series = useMemo(() => (selected ? syntheticSeries(selected, tick) : null), [selected, tick]);

  useEffect(() => {
    if (!live) return;
    const id = setInterval(() => setTick((n) => n + 1), HEALTH_INTERVAL_MS);
    return () => clearInterval(id);
  }, [live]);

  useEffect(() => {
    let current = tick;
    window.__healthPreview = {
      step() {
        const start = performance.now();
        current += 1;
        const next = current;
        flushSync(() => setTick(next));
        return performance.now() - start;
      },
      generate() {
        const start = performance.now();
        syntheticSnapshot(rooms, current + 1);
        return performance.now() - start;
      },
      remount(n) {
        flushSync(() => setRooms(0));
        const start = performance.now();
        flushSync(() => setRooms(n));
        return performance.now() - start;
      },
      tick: () => current,
    };
    return () => {
      delete window.__healthPreview;
    };
  }, [tick, rooms]);

  useEffect(() => {
    document.title = `[dev] health — ${rooms} rooms`;
  }, [rooms]);

  const select = useCallback((id: string | null) => setSelected(id), []);

  return (
    <div className={pageClasses.page}>
      <AppHeader homeHref="/" />
      <Container size={1280} px={{ base: 'sm', sm: 'md' }} py={{ base: 'md', sm: 'xl' }} component="main" w="100%">
        <HealthView snapshot={snapshot} series={series} selectedRoomId={selected} onSelectRoom={select} />
      </Container>
    </div>
  );
}
