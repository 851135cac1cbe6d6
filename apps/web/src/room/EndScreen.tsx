import { Button, Container, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import bigButton from '../ui/BigButton.module.css';
import { RefreshIcon } from '../ui/icons.tsx';
import { isRetryable } from './room-error.ts';
import type { RoomState } from './room-state.ts';

export interface EndContent {
  title: string;
  text: string;
  /** Label of the button that joins again with the same link, or null when that cannot help. */
  action: string | null;
}

/** What the client's end screen says (i18n keys). */
export function contentFor(state: RoomState): EndContent {
  if (state.phase === 'left') return { title: 'end.leftTitle', text: 'end.leftText', action: 'end.rejoin' };
  if (state.phase === 'closed') {
    switch (state.closedReason) {
      case 'time_limit':
        return { title: 'end.timeLimitTitle', text: 'end.timeLimitText', action: null };
      case 'removed':
        return { title: 'end.removedTitle', text: 'end.removedText', action: null };
      case 'link_revoked':
        return { title: 'end.linkRevokedTitle', text: 'end.linkRevokedText', action: null };
      case 'technical_failure':
        return { title: 'end.technicalFailureTitle', text: 'end.technicalFailureText', action: null };
      case 'server_shutdown':
        return { title: 'end.serverShutdownTitle', text: 'end.serverShutdownText', action: 'end.retry' };
      default:
        return { title: 'end.endedTitle', text: 'end.endedText', action: null };
    }
  }
  const code = state.error ?? 'internal';
  return { title: 'end.failedTitle', text: `errors.${code}`, action: isRetryable(code) ? 'end.retry' : null };
}

/**
 * After leaving, after the room closed, or when joining failed: what happened and what to
 * do. A staff page passes its own `content` and its way back (`children`).
 */
export function EndScreen({
  state,
  onRejoin,
  content,
  children,
}: {
  state: RoomState;
  onRejoin: () => void;
  content?: EndContent;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const c = content ?? contentFor(state);
  return (
    <Container size={620} px="sm" py="xl" component="main" w="100%">
      <Paper
        withBorder
        radius="lg"
        p={{ base: 'lg', sm: 'xl' }}
        shadow="xs"
        data-testid="end-screen"
        data-phase={state.phase}
        data-reason={state.closedReason ?? state.error ?? undefined}
      >
        <Stack gap="md">
          <Title order={1}>{t(c.title)}</Title>
          <Text size="lg">{t(c.text)}</Text>
          {c.action && (
            <Button data-testid="rejoin-button" size="xl" leftSection={<RefreshIcon />} onClick={onRejoin} fullWidth classNames={bigButton}>
              {t(c.action)}
            </Button>
          )}
          {children}
        </Stack>
      </Paper>
    </Container>
  );
}
