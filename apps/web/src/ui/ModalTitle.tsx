import { Text, type MantineSize } from '@mantine/core';
import type { ReactNode } from 'react';

/** A dialog's title, bold and large (a span: Mantine puts the title in an h2). */
export function ModalTitle({ size, children }: { size: MantineSize; children: ReactNode }) {
  return (
    <Text fw={700} size={size} component="span">
      {children}
    </Text>
  );
}
