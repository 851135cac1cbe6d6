import { Group, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * One part of the dashboard: a section named by its heading (`health-<id>-title`), with
 * figures beside the heading when `aside` is given.
 */
export function HealthSection({ id, title, aside, children }: { id: string; title: string; aside?: ReactNode; children: ReactNode }) {
  const titleId = `health-${id}-title`;
  const heading = (
    <Title order={2} id={titleId}>
      {title}
    </Title>
  );
  return (
    <section aria-labelledby={titleId}>
      <Stack gap="sm">
        {aside === undefined ? (
          heading
        ) : (
          <Group gap="sm" align="baseline">
            {heading}
            {aside}
          </Group>
        )}
        {children}
      </Stack>
    </section>
  );
}
