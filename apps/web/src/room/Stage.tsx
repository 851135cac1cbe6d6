import { Loader } from '@mantine/core';
import type { PeerInfo, RoomKind, RoomRole } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { ScreenIcon } from '../ui/icons.tsx';
import { peerLabel } from './peer-label.ts';
import { PeerTile } from './PeerTile.tsx';
import { RemoteAudio } from './RemoteAudio.tsx';
import { RemoteVideo } from './RemoteVideo.tsx';
import { stagePlan, type RemoteMedia } from './room-state.ts';
import classes from './Stage.module.css';
import type { OnFrameMilestone } from './timings.ts';

interface Props {
  kind: RoomKind;
  selfRole: RoomRole | undefined;
  peers: PeerInfo[];
  remote: Record<string, RemoteMedia>;
  selfAudioOnly: boolean;
  onFirstFrame: OnFrameMilestone;
  /** «Только звук» (offered on a tile whose video was paused for a weak link). */
  onAudioOnly?: () => void;
}

/** What an empty stage says: who is awaited, in this kind of room, from this seat. */
function emptyKey(kind: RoomKind, role: RoomRole | undefined): { title: string; hint: string } {
  if (kind === 'webinar') {
    return role === 'attendee'
      ? { title: 'room.empty.webinarAttendee', hint: 'room.empty.webinarAttendeeHint' }
      : { title: 'room.empty.webinarHost', hint: 'room.empty.webinarHostHint' };
  }
  if (kind === 'dyad') {
    return role === 'curator'
      ? { title: 'room.empty.dyadCurator', hint: 'room.empty.dyadCuratorHint' }
      : { title: 'room.empty.dyadClient', hint: 'room.empty.dyadClientHint' };
  }
  return { title: 'room.waiting', hint: 'room.waitingHint' };
}

/**
 * The stage: a shared screen large when there is one (with the speakers in a strip beside
 * it), otherwise the participants' tiles in a grid. Every voice received is played,
 * whether or not its owner has a tile.
 */
export function Stage({ kind, selfRole, peers, remote, selfAudioOnly, onFirstFrame, onAudioOnly }: Props) {
  const { t } = useTranslation();
  const plan = stagePlan(kind, peers, remote);
  const byId = new Map(peers.map((p) => [p.id, p]));
  const tiles = plan.tiles.map((id) => byId.get(id)).filter((p): p is PeerInfo => p !== undefined);
  const sharer = plan.screen ? byId.get(plan.screen) : undefined;
  const screenTrack = sharer ? remote[sharer.id]?.screenTrack : null;
  const empty = emptyKey(kind, selfRole);

  return (
    <div className={classes.stageInner} data-layout={sharer ? 'screen' : 'grid'}>
      {sharer && screenTrack && (
        <figure className={classes.screen} data-testid="screen-view" data-peer-id={sharer.id}>
          <RemoteVideo
            peerId={sharer.id}
            track={screenTrack}
            hidden={false}
            label={t('room.screenOf', { label: peerLabel(sharer, t) })}
            onFirstFrame={onFirstFrame}
            source="screen"
          />
          <figcaption className={classes.screenCaption}>
            <ScreenIcon size={18} />
            {t('room.screenOf', { label: peerLabel(sharer, t) })}
          </figcaption>
        </figure>
      )}

      {tiles.length > 0 ? (
        <div className={classes.tiles} data-count={Math.min(tiles.length, 9)}>
          {tiles.map((p) => (
            <PeerTile
              key={p.id}
              peer={p}
              media={remote[p.id]}
              selfAudioOnly={selfAudioOnly}
              onFirstFrame={onFirstFrame}
              small={Boolean(sharer)}
              onAudioOnly={onAudioOnly}
            />
          ))}
        </div>
      ) : (
        !sharer && (
          <div className={classes.placeholder}>
            <Loader color="white" type="dots" aria-hidden="true" />
            <p className={classes.placeholderTitle}>{t(empty.title)}</p>
            <p className={classes.placeholderText}>{t(empty.hint)}</p>
            {/* The accessible sentence for an empty one-to-one stage (tests read it too). */}
            <p className={classes.visuallyHidden} data-testid="remote-state">
              {t(empty.title)}
            </p>
          </div>
        )
      )}

      <div className={classes.audioSlot}>
        {peers.map((p) => {
          const track = remote[p.id]?.audioTrack;
          return track ? <RemoteAudio key={p.id} track={track} peerId={p.id} /> : null;
        })}
      </div>
    </div>
  );
}
