import type { ParticipantHealth, ReceivedVideo } from '@dp/protocol';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { shortId, type HealthFormat } from './format.ts';
import { explainVideo, type QualityKey, type Reason, type VideoQualityView } from './layer-reason.ts';
import classes from './quality.module.css';

// The «Качество видео» cell of a participant: for each video it receives, the quality in words
// («среднее (320×180)») and why (layer-reason.ts), and the path cell's words.

export function VideoQualityCell({ p, room, fmt }: { p: ParticipantHealth; room: readonly ParticipantHealth[]; fmt: HealthFormat }) {
  const { t } = useTranslation();
  // What the browser itself shows (its largest received video), when it reports.
  const shown =
    p.fps > 0 || p.frameWidth > 0
      ? t('health.detail.shown', {
          value: t('health.detail.videoValue', { fps: fmt.num(p.fps), width: p.frameWidth, height: p.frameHeight }),
        })
      : null;
  if (p.videoIn.length === 0) return <span className={classes.none}>{shown ?? t('health.detail.noVideoIn')}</span>;
  return (
    <ul className={classes.list}>
      {p.videoIn.map((v) => {
        const sender = v.fromPeerId ? room.find((x) => x.peerId === v.fromPeerId) : undefined;
        const view = explainVideo(v, p, sender);
        return (
          <li
            key={v.consumerId}
            data-testid={`video-in-${v.consumerId}`}
            data-from={v.fromPeerId ?? ''}
            data-source={v.source}
            data-quality={view.quality}
            data-layer={v.spatialLayer ?? ''}
            data-layer-count={v.layerCount}
            data-reason={view.reasons.map((r) => r.key).join(' ')}
            data-tone={view.tone}
          >
            {(p.videoIn.length > 1 || v.fromRole) && <span className={classes.from}>{fromText(t, v)} </span>}
            <span className={classes.quality} data-tone={view.tone}>
              {qualityText(t, v, view)}
            </span>
            <span className={classes.reason}>{view.reasons.map((r) => reasonText(t, fmt, r, v, view, p)).join(' ')}</span>
          </li>
        );
      })}
      {shown && <li className={classes.shown}>{shown}</li>}
    </ul>
  );
}

function fromText(t: TFunction, v: ReceivedVideo): string {
  const from = v.fromRole ? t(`health.fromRole.${v.fromRole}`) : t('health.fromRole.unknown');
  const who = `${from}${v.fromPeerId ? ` ${shortId(v.fromPeerId)}` : ''}`;
  return `${who}${v.source === 'screen' ? ` (${t('health.quality.screen')})` : ''}:`;
}

function qualityWord(t: TFunction, key: QualityKey): string {
  return t(`health.quality.${key}`);
}

function qualityText(t: TFunction, v: ReceivedVideo, view: VideoQualityView): string {
  if (view.quality === 'off' && v.source === 'screen') return t('health.quality.offScreen');
  const word = qualityWord(t, view.quality);
  return view.size ? t('health.quality.sized', { quality: word, width: view.size.width, height: view.size.height }) : word;
}

function reasonText(t: TFunction, fmt: HealthFormat, r: Reason, v: ReceivedVideo, view: VideoQualityView, p: ParticipantHealth): string {
  const kbps = r.bitrate === undefined ? '' : fmt.kbps(r.bitrate);
  const percent = r.percent === undefined ? '' : fmt.num(r.percent, r.percent < 10 ? 1 : 0);
  const who = t(`health.rolesOf.${p.role}`);
  // Whatever layer arrives now: that is what the sender or the link allows.
  const quality = qualityWord(t, view.quality === 'paused' || view.quality === 'off' ? 'low' : view.quality);
  switch (r.key) {
    case 'senderNone':
      return r.bitrate === undefined ? t('health.reason.senderNone') : t('health.reason.senderNoneKbps', { kbps });
    case 'senderOff':
      return v.source === 'screen' ? t('health.reason.senderOffScreen') : t('health.reason.senderOff');
    default:
      return t(`health.reason.${r.key}`, {
        who,
        kbps,
        percent,
        quality,
        need: r.need === undefined ? '' : fmt.kbps(r.need),
        next: r.next ? t(`health.qualityFor.${r.next}`) : '',
      });
  }
}

/** The path in words: «UDP напрямую», «TCP к серверу (UDP закрыт)», «через TURN-сервер (relay, TLS)». */
export function pathText(t: TFunction, p: ParticipantHealth): string {
  if (p.path === 'relay' && p.relayProtocol) return t('health.paths.relayVia', { protocol: p.relayProtocol.toUpperCase() });
  return t(`health.paths.${p.path}`);
}
