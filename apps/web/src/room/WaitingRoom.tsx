import { Alert, Button, Container, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import bigButton from '../ui/BigButton.module.css';
import { LeaveIcon, RefreshIcon, WarningIcon } from '../ui/icons.tsx';
import { SelfView } from '../ui/SelfView.tsx';
import { AudioOnlyToggle, CameraToggle, MicToggle } from './ControlBar.tsx';
import type { RoomClient } from './room-client.ts';
import type { RoomState } from './room-state.ts';
import classes from './WaitingRoom.module.css';

export interface WaitingActions {
  toggleMic: () => void;
  toggleCamera: () => void;
  setAudioOnly: (on: boolean) => void;
  leave: () => void;
  askAgain: () => void;
}

export function WaitingRoom({ client, state }: { client: RoomClient; state: RoomState }) {
  return (
    <WaitingView
      state={state}
      actions={{
        toggleMic: () => void client.toggleMic(),
        toggleCamera: () => void client.toggleCamera(),
        setAudioOnly: (on) => void client.setAudioOnly(on),
        leave: () => void client.leave(),
        askAgain: () => void client.join(),
      }}
    />
  );
}

/**
 * A client's waiting room (one-to-one and dyad): its own camera, what is happening («скоро
 * пригласит», whether the specialist is online), the device switches, and a way out. When the
 * specialist says «не сейчас» the same page says so and offers to ask again.
 */
export function WaitingView({ state, actions }: { state: RoomState; actions: WaitingActions }) {
  const { t } = useTranslation();
  const { local } = state;
  const who = state.room?.kind === 'dyad' ? 'curator' : 'specialist';
  const declined = state.phase === 'declined';
  const reconnecting = state.phase === 'reconnecting';
  const present = state.admitterPresent;

  return (
    <Container size={640} px="sm" py="md" component="main" w="100%">
      <Paper
        withBorder
        radius="lg"
        p={{ base: 'md', sm: 'xl' }}
        shadow="xs"
        data-testid="waiting-room"
        data-state={declined ? 'declined' : reconnecting ? 'reconnecting' : 'waiting'}
      >
        <Stack gap="md">
          {declined ? (
            <Alert color="orange" variant="light" icon={<WarningIcon />} data-testid="declined">
              <Stack gap="xs">
                <Title order={1} className={classes.declinedTitle}>
                  {t(`waiting.${who}.declinedTitle`)}
                </Title>
                <Text>{t('waiting.declinedText')}</Text>
              </Stack>
            </Alert>
          ) : null}
          {declined ? (
            // The one thing to do now comes first, above the preview (a phone shows it without scrolling).
            <Button
              data-testid="ask-again"
              size="xl"
              fullWidth
              leftSection={<RefreshIcon />}
              classNames={bigButton}
              onClick={actions.askAgain}
            >
              {t('waiting.askAgain')}
            </Button>
          ) : (
            <div>
              <Title order={1} className={classes.title}>
                {t(`waiting.${who}.title`)}
              </Title>
              <Text mt={4}>{t('waiting.keepOpen')}</Text>
            </div>
          )}

          {!declined && (
            <div
              className={`${classes.presence} ${present ? classes.online : classes.offline}`}
              data-testid="admitter-presence"
              data-present={String(present)}
            >
              {reconnecting ? <Loader size="xs" type="dots" aria-hidden="true" /> : <span className={classes.dot} aria-hidden="true" />}
              <span>{reconnecting ? t('status.mediaReset') : present ? t(`waiting.${who}.online`) : t(`waiting.${who}.offline`)}</span>
            </div>
          )}

          <div className={classes.preview}>
            <SelfView stream={local.cameraOn && !local.audioOnly ? local.previewStream : null} variant="large" />
          </div>

          <div className={classes.toggles} role="toolbar" aria-label={t('room.controls.toolbar')}>
            <MicToggle state={state} onClick={actions.toggleMic} />
            <CameraToggle state={state} onClick={actions.toggleCamera} />
            <AudioOnlyToggle state={state} onClick={() => actions.setAudioOnly(!local.audioOnly)} />
          </div>
          <Text size="sm" c="gray.7">
            {t('waiting.devicesHint')}
          </Text>

          <Button
            data-testid="leave-button"
            size="lg"
            variant={declined ? 'default' : 'outline'}
            color={declined ? undefined : 'red.9'}
            leftSection={<LeaveIcon />}
            onClick={actions.leave}
          >
            {t('room.controls.leave')}
          </Button>
        </Stack>
      </Paper>
    </Container>
  );
}
