import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RoomRole } from '@dp/protocol';
import { peerLabel } from '../room/peer-label.ts';
import type { StatusMessage } from '../room/room-state.ts';
import classes from './StatusLine.module.css';

/**
 * The one polite live region of the page. It stays mounted across the pre-join, room
 * and end screens: screen readers only announce changes to a region that already exists.
 * Where the page shows the same sentence large (end screens) it is visually hidden.
 */
export function StatusLine({ status, visible = true }: { status: StatusMessage | null; visible?: boolean }) {
  const { t } = useTranslation();
  const p = status?.params;
  const label = p
    ? peerLabel({ label: p['label'] ?? '', role: (p['role'] ?? 'client') as RoomRole, number: p['number'] ? Number(p['number']) : null }, t)
    : '';
  const text = status ? t(status.key, { ...status.params, label }) : '';
  return (
    <div className={text && visible ? classes.wrap : `${classes.wrap} ${classes.empty}`}>
      <Text data-testid="status" role="status" aria-live="polite" aria-atomic="true" className={visible ? classes.line : classes.hidden}>
        {text}
      </Text>
    </div>
  );
}
