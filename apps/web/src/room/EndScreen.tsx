import { Button, Container, List, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import bigButton from '../ui/BigButton.module.css';
import { PhoneIcon, RefreshIcon } from '../ui/icons.tsx';
import { telHref, tookPlace } from './end-next.ts';
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
 * «Оценить консультацию»: the client's way to the feedback form (анкета, /join/<token>/feedback)
 * after a consultation that took place. Without a link (a staff page) nothing but a hidden mark.
 */
export function FeedbackSlot({ consultationId, href }: { consultationId: string | null; href: string | null }) {
  const { t } = useTranslation();
  if (!href) return <div hidden data-testid="feedback-slot" data-consultation={consultationId ?? undefined} />;
  return (
    <Button
      component="a"
      href={href}
      size="xl"
      fullWidth
      classNames={bigButton}
      data-testid="feedback-slot"
      data-consultation={consultationId ?? undefined}
    >
      {t('end.rateConsultation')}
    </Button>
  );
}

/** The client's end of a consultation that took place: thanks, what happens next, the institution's phone. */
function NextSteps({
  state,
  institutionPhone,
  feedbackHref,
}: {
  state: RoomState;
  institutionPhone: string | null;
  feedbackHref: string | null;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="end-next">
      <Title order={2} size="h3">
        {t('end.nextTitle')}
      </Title>
      <List size="lg" spacing="xs">
        <List.Item>{t('end.nextMaterials')}</List.Item>
        <List.Item>{t('end.nextFeedback')}</List.Item>
      </List>
      <FeedbackSlot consultationId={state.room?.id ?? null} href={feedbackHref} />
      <CallInstitution institutionPhone={institutionPhone} />
      <Text size="lg">{t('end.canClose')}</Text>
    </Stack>
  );
}

/** «Остались вопросы? Позвоните в учреждение» with the number as a large button that dials it. */
function CallInstitution({ institutionPhone }: { institutionPhone: string | null }) {
  const { t } = useTranslation();
  if (!institutionPhone) return <Text size="lg">{t('end.noPhone')}</Text>;
  return (
    <Stack gap={6}>
      <Text size="lg">{t('end.phone')}</Text>
      <Button
        component="a"
        href={telHref(institutionPhone)}
        size="xl"
        variant="light"
        leftSection={<PhoneIcon />}
        fullWidth
        classNames={bigButton}
        data-testid="end-phone"
      >
        {institutionPhone}
      </Button>
    </Stack>
  );
}

/**
 * After leaving, after the room closed, or when joining failed: what happened and what to
 * do. A staff page passes its own `content` and its way back (`children`); the client's
 * page passes the institution's phone, and after a consultation that took place the screen
 * says what happens next.
 */
export function EndScreen({
  state,
  onRejoin,
  content,
  children,
  institutionPhone = null,
  feedbackHref = null,
}: {
  state: RoomState;
  onRejoin: () => void;
  content?: EndContent;
  children?: ReactNode;
  institutionPhone?: string | null;
  /** The client's feedback form (its link's /join/<token>/feedback), offered after a consultation that took place. */
  feedbackHref?: string | null;
}) {
  const { t } = useTranslation();
  const c = content ?? contentFor(state);
  // The client's screen (a staff page brings its own content): what next, whom to call.
  const client = content === undefined;
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
          {client && tookPlace(state) && <NextSteps state={state} institutionPhone={institutionPhone} feedbackHref={feedbackHref} />}
          {client && state.phase === 'closed' && !tookPlace(state) && <CallInstitution institutionPhone={institutionPhone} />}
          {children}
        </Stack>
      </Paper>
    </Container>
  );
}
