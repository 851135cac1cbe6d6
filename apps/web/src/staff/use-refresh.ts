import { useDocumentVisibility, useInterval } from '@mantine/hooks';
import { useEffect } from 'react';

/**
 * Keeps a screen fresh without a reload: `load` runs at once (and again whenever it changes),
 * every `everyMs`, and when the tab comes back into view.
 */
export function useRefresh(load: () => Promise<void>, everyMs: number): void {
  const visibility = useDocumentVisibility();
  useInterval(() => void load(), everyMs, { autoInvoke: true });
  useEffect(() => {
    if (visibility === 'visible') void load();
  }, [visibility, load]);
}
