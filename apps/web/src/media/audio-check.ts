// The device check's sound: a microphone level meter (Web Audio AnalyserNode) and a short
// test tone through the chosen speaker (HTMLMediaElement.setSinkId where the browser has it).

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/** Whether the browser lets the page choose the speaker (Chrome, Edge, Yandex; not Safari, not Firefox by default). */
export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

function audioContext(): AudioContext {
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext: typeof AudioContext }).webkitAudioContext;
  return new Ctor();
}

/**
 * Level of a microphone track, 0…1 (RMS of the waveform, scaled so ordinary speech at arm's
 * length reaches the upper half), reported ~15 times a second. Returns a stop function.
 */
export function watchLevel(track: MediaStreamTrack, onLevel: (level: number) => void): () => void {
  const ctx = audioContext();
  const source = ctx.createMediaStreamSource(new MediaStream([track]));
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const data = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (const v of data) sum += v * v;
    const rms = Math.sqrt(sum / data.length);
    onLevel(Math.min(1, rms * 4));
  }, 66);
  void ctx.resume().catch(() => undefined);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void ctx.close().catch(() => undefined);
  };
}

/**
 * A calm two-note chime (~1.2 s, 523 → 659 Hz, soft attack and release) through the chosen
 * speaker. Resolves when it has played; rejects when the speaker cannot be set.
 */
export async function playTestTone(sinkId?: string): Promise<void> {
  const ctx = audioContext();
  try {
    const dest = ctx.createMediaStreamDestination();
    const gain = ctx.createGain();
    gain.connect(dest);
    const t0 = ctx.currentTime + 0.05;
    gain.gain.setValueAtTime(0.0001, t0);
    [523.25, 659.25].forEach((freq, i) => {
      const osc = ctx.createOscillator();
      osc.type = 'sine';
      osc.frequency.value = freq;
      osc.connect(gain);
      const at = t0 + i * 0.6;
      gain.gain.exponentialRampToValueAtTime(0.35, at + 0.05);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.55);
      osc.start(at);
      osc.stop(at + 0.6);
    });
    const audio = new Audio() as SinkAudio;
    audio.srcObject = dest.stream;
    if (sinkId && audio.setSinkId) await audio.setSinkId(sinkId);
    await ctx.resume();
    await audio.play();
    await new Promise((r) => setTimeout(r, 1400));
    audio.pause();
    audio.srcObject = null;
  } finally {
    void ctx.close().catch(() => undefined);
  }
}

export interface MediaDeviceChoice {
  camera: MediaDeviceInfo[];
  mic: MediaDeviceInfo[];
  speaker: MediaDeviceInfo[];
}

/** The devices by kind (labels are known once the page has a permission). */
export async function listDevices(): Promise<MediaDeviceChoice> {
  const all = navigator.mediaDevices?.enumerateDevices ? await navigator.mediaDevices.enumerateDevices().catch(() => []) : [];
  const real = (kind: MediaDeviceKind) => all.filter((d) => d.kind === kind && d.deviceId !== '');
  return { camera: real('videoinput'), mic: real('audioinput'), speaker: real('audiooutput') };
}

const STORAGE_KEY = 'dp.mediaDevices';
export type DevicePrefs = Partial<Record<'camera' | 'mic' | 'speaker', string>>;

/** The person's choice on this browser (kept for the next visit and for the room's capture). */
export function loadDevicePrefs(): DevicePrefs {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as DevicePrefs;
  } catch {
    return {};
  }
}

export function saveDevicePrefs(prefs: DevicePrefs): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(prefs));
  } catch {
    // private mode: the choice lasts this page only
  }
}
