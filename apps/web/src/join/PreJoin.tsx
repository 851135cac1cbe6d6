import { Alert, Button, Container, Divider, Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DeviceStatus } from '../media/device-status.ts';
import type { RoomState } from '../room/room-state.ts';
import { CheckIcon, RefreshIcon, WarningIcon } from '../ui/icons.tsx';
import { SelfView } from '../ui/SelfView.tsx';
import bigButton from '../ui/BigButton.module.css';
import { DeviceCheck, type DeviceCheckProps } from './DeviceCheckLazy.tsx';
// «Войти с выключенным микрофоном / камерой» (the link page loads Mantine's sheets per component).
import '@mantine/core/styles/InlineInput.css';
import '@mantine/core/styles/Switch.css';

interface Props {
  /** What authorises the network test, as it does `join`: the page's link, or staff's consultation id. */
  auth: DeviceCheckProps['auth'];
  forceTcp: boolean;
  state: RoomState;
  /** The room code has loaded; until then the button cannot do anything yet. */
  ready: boolean;
  loadFailed: boolean;
  onJoin: () => void;
  onRetryDevices: () => void;
  /** «Только звук» offered by the network test's audio_only verdict: enter with audio only. */
  onJoinAudioOnly?: () => void;
  /** The institution's phone for the «no connection» verdict (not stored yet: «позвоните в учреждение»). */
  institutionPhone?: string | null;
  /** «Войти с выключенным микрофоном / камерой»: switched here, honoured in the room (it produces paused). */
  onToggleMic?: () => void;
  onToggleCamera?: () => void;
}

function DeviceLine({ kind, status }: { kind: 'camera' | 'mic'; status: DeviceStatus }) {
  const { t } = useTranslation();
  const ok = status === 'ok';
  const pending = status === 'pending';
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text component="span" c={ok ? 'green.9' : pending ? 'gray.7' : 'orange.9'} style={{ display: 'flex', paddingTop: 2 }}>
        {ok || pending ? <CheckIcon /> : <WarningIcon />}
      </Text>
      <Text data-testid={`device-${kind}`} data-status={status}>
        {t(`prejoin.${kind}.${status}`)}
      </Text>
    </Group>
  );
}

const usable = (status: DeviceStatus) => status === 'ok' || status === 'pending';

/** The waiting step before the room: see yourself, read what works, press one big button. */
export function PreJoin({
  auth,
  forceTcp,
  state,
  ready,
  loadFailed,
  onJoin,
  onRetryDevices,
  onJoinAudioOnly,
  institutionPhone,
  onToggleMic,
  onToggleCamera,
}: Props) {
  const { t } = useTranslation();
  // Until the page passes its own handler, the live RoomClient (window.__roomClient, set by
  // JoinPage) is asked for audio-only before joining: produceAll then sends only sound.
  const joinAudioOnly =
    onJoinAudioOnly ??
    (() => {
      const client = window.__roomClient;
      if (!client) return onJoin();
      void client.setAudioOnly(true).then(onJoin);
    });
  const { mic, camera, previewStream } = state.local;
  const joining = state.phase === 'connecting';
  const unsupported = mic === 'unsupported' && camera === 'unsupported';
  const problem = !unsupported && ((mic !== 'ok' && mic !== 'pending') || (camera !== 'ok' && camera !== 'pending'));
  const checking = mic === 'pending' || camera === 'pending';

  return (
    <Container size={620} px="sm" py="lg" component="main" w="100%">
      <Paper withBorder radius="lg" p={{ base: 'md', sm: 'xl' }} shadow="xs">
        <Stack gap="md">
          <div>
            <Title order={1}>{t('prejoin.title')}</Title>
            <Text c="gray.7">{t('app.subtitle')}</Text>
          </div>
          <SelfView stream={previewStream} variant="large" {...(checking ? { offText: t('prejoin.loading') } : {})} />
          {unsupported ? (
            <Alert color="orange" variant="light" icon={<WarningIcon />}>
              <Text>{t('prejoin.unsupported')}</Text>
            </Alert>
          ) : (
            <Stack gap={6}>
              <DeviceLine kind="camera" status={camera} />
              <DeviceLine kind="mic" status={mic} />
            </Stack>
          )}
          {/* Drawn (disabled) while the devices are still being checked, so that «Войти» below
              does not jump down under a finger or a pointer the moment the check finishes. */}
          {!unsupported && (usable(mic) || usable(camera)) && (
            <Stack gap="xs">
              {usable(mic) && onToggleMic && (
                <Switch
                  size="lg"
                  label={t('consultation.client.micOff')}
                  checked={!state.local.micOn}
                  onChange={onToggleMic}
                  disabled={mic !== 'ok' || state.pending.mic}
                  data-testid="prejoin-mic-off"
                />
              )}
              {usable(camera) && onToggleCamera && (
                <Switch
                  size="lg"
                  label={t('consultation.client.cameraOff')}
                  checked={!state.local.cameraOn}
                  onChange={onToggleCamera}
                  disabled={camera !== 'ok' || state.pending.camera}
                  data-testid="prejoin-camera-off"
                />
              )}
            </Stack>
          )}
          {!checking && !unsupported && camera !== 'ok' && (
            <Text fw={600}>{mic === 'ok' ? t('prejoin.audioOnlyJoin') : t('prejoin.noneJoin')}</Text>
          )}
          {problem && (
            <Button
              variant="subtle"
              size="md"
              leftSection={<RefreshIcon size={20} />}
              onClick={onRetryDevices}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('prejoin.retryDevices')}
            </Button>
          )}
          {loadFailed && (
            <Alert color="orange" variant="light" icon={<WarningIcon />}>
              <Text>{t('errors.network')}</Text>
            </Alert>
          )}
          <Button
            data-testid="join-button"
            size="xl"
            fullWidth
            loading={joining}
            disabled={!ready}
            onClick={onJoin}
            loaderProps={{ type: 'dots' }}
            classNames={bigButton}
          >
            {t('prejoin.join')}
          </Button>
          {joining && <Text ta="center">{t('prejoin.joining')}</Text>}
          <Text c="gray.7" size="sm">
            {t('prejoin.weakHint')}
          </Text>
          {!unsupported && (
            <>
              <Divider />
              <DeviceCheck
                auth={auth}
                forceTcp={forceTcp}
                camera={camera === 'ok'}
                microphone={mic === 'ok'}
                institutionPhone={institutionPhone ?? null}
                onJoinAudioOnly={joinAudioOnly}
                onDevicesChosen={onRetryDevices}
              />
            </>
          )}
        </Stack>
      </Paper>
    </Container>
  );
}
