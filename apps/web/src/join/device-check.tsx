import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, NativeSelect, Progress, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DeviceCheckVerdict } from '@dp/protocol';
import {
  canChooseSpeaker,
  listDevices,
  loadDevicePrefs,
  playTestTone,
  saveDevicePrefs,
  watchLevel,
  type DevicePrefs,
  type MediaDeviceChoice,
} from '../media/audio-check.ts';
import type { NetworkTestPhase, NetworkTestResult } from '../media/network-test.ts';
import { CheckIcon, HeadphonesIcon, RefreshIcon, WarningIcon } from '../ui/icons.tsx';
import './device-check-styles.ts';

// The device check before entering (the link page's pre-join step; usable during the
// countdown too): camera and microphone choice with a level meter, a test sound through
// the chosen speaker, and the network test against the SFU with a plain verdict. A verdict
// advises; it never blocks entering.

export interface DeviceCheckProps {
  auth: { token: string } | { consultationId: string };
  forceTcp?: boolean;
  camera: boolean;
  microphone: boolean;
  /** The institution's phone for «нет связи»; none stored: «позвоните в учреждение». */
  institutionPhone?: string | null;
  /** Offered with the «audio only» verdict. */
  onJoinAudioOnly?: () => void;
  /** Another camera or microphone was chosen: the page captures again (the room sends what was chosen). */
  onDevicesChosen?: () => void;
}

// The network test (mediasoup-client, socket.io) is its own chunk, loaded on first use.
const loadNetworkTest = () => import('../media/network-test.ts');

type NetState =
  | { kind: 'idle' }
  | { kind: 'running'; phase: NetworkTestPhase; fraction: number }
  | { kind: 'done'; result: NetworkTestResult }
  /** Refused for now (too many tests from this link or address): try again in a minute. */
  | { kind: 'limited' };

export function DeviceCheck(props: DeviceCheckProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" data-testid="device-check">
      <Title order={2} size="h3">
        {t('deviceCheck.title')}
      </Title>
      <SoundCheck microphone={props.microphone} {...(props.onDevicesChosen ? { onDevicesChosen: props.onDevicesChosen } : {})} />
      <NetworkCheck {...props} />
    </Stack>
  );
}

function SoundCheck({ microphone, onDevicesChosen }: { microphone: boolean; onDevicesChosen?: () => void }) {
  const { t } = useTranslation();
  const [devices, setDevices] = useState<MediaDeviceChoice>({ camera: [], mic: [], speaker: [] });
  const [prefs, setPrefs] = useState<DevicePrefs>(loadDevicePrefs);
  const [level, setLevel] = useState(0);
  const [tone, setTone] = useState<'idle' | 'playing' | 'played' | 'failed'>('idle');

  useEffect(() => {
    const refresh = () => void listDevices().then(setDevices);
    refresh();
    navigator.mediaDevices?.addEventListener?.('devicechange', refresh);
    return () => navigator.mediaDevices?.removeEventListener?.('devicechange', refresh);
  }, [microphone]);

  // The meter listens to the chosen microphone on a capture of its own (the browser shares
  // the device with the room's capture; no second permission prompt on the same page).
  useEffect(() => {
    if (!microphone || !navigator.mediaDevices?.getUserMedia) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    void navigator.mediaDevices
      .getUserMedia({ audio: prefs.mic ? { deviceId: { exact: prefs.mic } } : true })
      .then((stream) => {
        const track = stream.getAudioTracks()[0];
        if (cancelled || !track) return stream.getTracks().forEach((x) => x.stop());
        const unwatch = watchLevel(track, setLevel);
        stop = () => {
          unwatch();
          track.stop();
        };
      })
      .catch(() => setLevel(0));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [microphone, prefs.mic]);

  const choose = (kind: keyof DevicePrefs, deviceId: string) => {
    const next = { ...prefs, [kind]: deviceId };
    setPrefs(next);
    saveDevicePrefs(next);
    if (kind !== 'speaker') onDevicesChosen?.();
  };
  const options = (list: MediaDeviceInfo[], fallback: string) =>
    list.map((d, i) => ({ value: d.deviceId, label: d.label || `${fallback} ${i + 1}` }));
  const speakerChoice = canChooseSpeaker() && devices.speaker.length > 1;

  const test = async () => {
    setTone('playing');
    try {
      await playTestTone(prefs.speaker);
      setTone('played');
    } catch {
      setTone('failed');
    }
  };

  return (
    <Stack gap="sm">
      {devices.camera.length > 1 && (
        <NativeSelect
          size="md"
          label={t('deviceCheck.camera')}
          value={prefs.camera ?? devices.camera[0]?.deviceId ?? ''}
          data={options(devices.camera, t('deviceCheck.camera'))}
          onChange={(e) => choose('camera', e.currentTarget.value)}
        />
      )}
      {microphone && (
        <>
          {devices.mic.length > 1 && (
            <NativeSelect
              size="md"
              label={t('deviceCheck.microphone')}
              value={prefs.mic ?? devices.mic[0]?.deviceId ?? ''}
              data={options(devices.mic, t('deviceCheck.microphone'))}
              onChange={(e) => choose('mic', e.currentTarget.value)}
            />
          )}
          <div>
            <Text size="sm" id="mic-level-label">
              {t('deviceCheck.levelHint')}
            </Text>
            <Progress.Root data-testid="mic-level" size="lg" radius="xl" transitionDuration={60} bg="gray.3">
              <Progress.Section
                aria-labelledby="mic-level-label"
                value={Math.round(level * 100)}
                color={level > 0.08 ? 'green.7' : 'gray.6'}
              />
            </Progress.Root>
          </div>
        </>
      )}
      {speakerChoice && (
        <NativeSelect
          size="md"
          label={t('deviceCheck.speaker')}
          value={prefs.speaker ?? devices.speaker[0]?.deviceId ?? ''}
          data={options(devices.speaker, t('deviceCheck.speaker'))}
          onChange={(e) => choose('speaker', e.currentTarget.value)}
        />
      )}
      <Button
        data-testid="speaker-test"
        variant="light"
        size="lg"
        leftSection={<HeadphonesIcon size={22} />}
        loading={tone === 'playing'}
        onClick={() => void test()}
        styles={wrapping}
      >
        {t('deviceCheck.playSound')}
      </Button>
      {tone === 'played' && <Text size="sm">{t('deviceCheck.soundPlayed')}</Text>}
      {tone === 'failed' && <Text size="sm">{t('deviceCheck.soundFailed')}</Text>}
    </Stack>
  );
}

/** Long labels wrap on a 360 px phone instead of being cut off. */
const wrapping = {
  root: { height: 'auto', minHeight: 50, paddingBlock: 8 },
  label: { whiteSpace: 'normal' as const, textAlign: 'center' as const },
};

const VERDICT_COLOR: Record<DeviceCheckVerdict, string> = { video: 'green', audio_only: 'yellow', no_connection: 'orange' };

function NetworkCheck({ auth, forceTcp, camera, microphone, institutionPhone, onJoinAudioOnly }: DeviceCheckProps) {
  const { t } = useTranslation();
  const [state, setState] = useState<NetState>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const run = async () => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: 'running', phase: 'connecting', fraction: 0 });
    try {
      const { runNetworkTest } = await loadNetworkTest();
      const result = await runNetworkTest({
        auth,
        ...(forceTcp ? { forceTcp } : {}),
        camera,
        microphone,
        signal: controller.signal,
        onProgress: (phase, fraction) => !controller.signal.aborted && setState({ kind: 'running', phase, fraction }),
      });
      if (!controller.signal.aborted) setState({ kind: 'done', result });
    } catch (e) {
      if (!controller.signal.aborted && e instanceof Error && 'code' in e && e.code === 'rate_limited') {
        setState({ kind: 'limited' });
        return;
      }
      // aborted (the page moved on), or the test's code did not load: «нет связи».
      if (!controller.signal.aborted) {
        setState({
          kind: 'done',
          result: { verdict: 'no_connection', figures: { rttMs: null, lossPct: null, bitrateKbps: null, path: null }, stored: false },
        });
      }
    }
  };

  const running = state.kind === 'running';
  return (
    <Stack gap="sm">
      <Button
        data-testid="network-test-button"
        variant={state.kind === 'done' ? 'subtle' : 'light'}
        size="lg"
        leftSection={state.kind === 'done' ? <RefreshIcon size={22} /> : undefined}
        disabled={running}
        onClick={() => void run()}
        styles={wrapping}
      >
        {state.kind === 'done' ? t('deviceCheck.network.again') : t('deviceCheck.network.run')}
      </Button>
      {running && (
        <div aria-live="polite">
          <Text size="sm" id="network-progress-label">
            {t(`deviceCheck.network.phase.${state.phase}`)}
          </Text>
          <Progress.Root size="lg" radius="xl" data-testid="network-progress">
            <Progress.Section aria-labelledby="network-progress-label" value={Math.round(state.fraction * 100)} animated />
          </Progress.Root>
        </div>
      )}
      {state.kind === 'limited' && (
        <Alert data-testid="network-limited" color="yellow" variant="light" icon={<WarningIcon />} aria-live="polite">
          <Text>{t('errors.rate_limited')}</Text>
        </Alert>
      )}
      {state.kind === 'done' && (
        <Alert
          data-testid="network-verdict"
          data-verdict={state.result.verdict}
          color={VERDICT_COLOR[state.result.verdict]}
          variant="light"
          icon={state.result.verdict === 'video' ? <CheckIcon /> : <WarningIcon />}
          aria-live="polite"
        >
          <Stack gap={6}>
            <Text fw={600} size="lg">
              {t(`deviceCheck.verdict.${state.result.verdict}`)}
            </Text>
            <Text>{t(`deviceCheck.advice.${state.result.verdict}`)}</Text>
            {state.result.verdict === 'no_connection' && (
              <Text fw={600}>
                {institutionPhone ? t('deviceCheck.callPhone', { phone: institutionPhone }) : t('deviceCheck.callInstitution')}
              </Text>
            )}
            {state.result.verdict === 'audio_only' && onJoinAudioOnly && (
              <Group>
                <Button size="md" data-testid="join-audio-only" onClick={onJoinAudioOnly}>
                  {t('deviceCheck.joinAudioOnly')}
                </Button>
              </Group>
            )}
            <Figures result={state.result} />
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

function Figures({ result }: { result: NetworkTestResult }) {
  const { t } = useTranslation();
  const f = result.figures;
  const none = t('deviceCheck.figures.none');
  return (
    <Text size="xs" c="gray.8" data-testid="network-figures" data-rtt={f.rttMs ?? ''} data-bitrate={f.bitrateKbps ?? ''}>
      {t('deviceCheck.figures.line', {
        bitrate: f.bitrateKbps ?? none,
        loss: f.lossPct ?? none,
        rtt: f.rttMs ?? none,
        path: f.path ? t(`deviceCheck.figures.path.${f.path}`) : none,
      })}
      {!result.stored && ` ${t('deviceCheck.figures.notStored')}`}
    </Text>
  );
}
