// The device check (sound, camera, connection test) is not needed for the first paint of the
// link page: its code arrives as a chunk of its own, started right after the first render
// (main.tsx), while the person reads the page.
import { lazy, Suspense, type ReactNode } from 'react';
import type { DeviceCheckProps } from './device-check.tsx';

export type { DeviceCheckProps };

const load = () => import('./device-check.tsx');

/** Starts loading the device check's code (idempotent). */
export function preloadDeviceCheck(): void {
  void load().catch(() => undefined);
}

// A load that fails (the line dropped) leaves the check out rather than breaking the page.
const Loaded = lazy((): Promise<{ default: (props: DeviceCheckProps) => ReactNode }> =>
  load().then(
    (m) => ({ default: m.DeviceCheck }),
    () => ({ default: () => null }),
  ),
);

export function DeviceCheck(props: DeviceCheckProps) {
  return (
    <Suspense fallback={null}>
      <Loaded {...props} />
    </Suspense>
  );
}
