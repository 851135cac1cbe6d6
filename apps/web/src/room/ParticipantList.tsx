import { Button, Checkbox, Group, Text } from '@mantine/core';
import { hasPower, mayModerate, type PeerInfo } from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CameraIcon, CameraOffIcon, HandIcon, MicIcon, MicOffIcon, ScreenIcon } from '../ui/icons.tsx';
import { peerLabel, roleLabel } from './peer-label.ts';
import { orderParticipants } from './room-state.ts';
import type { RoomActions } from './room-actions.ts';
import classes from './SidePanel.module.css';

interface Props {
  self: PeerInfo | null;
  peers: PeerInfo[];
  kind: 'one_to_one' | 'webinar' | 'dyad';
  actions: Pick<RoomActions, 'grantFloor' | 'revokeFloor' | 'mutePeer' | 'removePeer'>;
}

/** The state words of a row: what the others may notice, never as colour alone. */
function StateLine({ peer }: { peer: PeerInfo }) {
  const { t } = useTranslation();
  return (
    <div className={classes.states}>
      {peer.away ? (
        <span className={`${classes.state} ${classes.stateAway}`}>{t('room.people.away')}</span>
      ) : (
        <>
          {peer.hand && (
            <span className={`${classes.state} ${classes.stateHand}`}>
              <HandIcon size={16} />
              {t('room.handRaised')}
            </span>
          )}
          {peer.role === 'attendee' && peer.floor !== 'none' && (
            <span className={`${classes.state} ${classes.stateFloor}`}>
              {peer.floor === 'full' ? t('room.people.floorFull') : t('room.people.floorMic')}
            </span>
          )}
          {peer.role === 'curator' && (
            <span className={`${classes.state} ${peer.floor === 'none' ? classes.stateObserve : classes.stateFloor}`}>
              {peer.floor === 'none' ? t('room.people.observing') : t('room.people.speaking')}
            </span>
          )}
          {(peer.floor !== 'none' || peer.mic) && (
            <span className={classes.state}>
              {peer.mic ? <MicIcon size={16} /> : <MicOffIcon size={16} />}
              {peer.mic ? t('room.people.micOn') : t('room.people.micOff')}
            </span>
          )}
          {peer.floor === 'full' && (
            <span className={classes.state}>
              {peer.camera ? <CameraIcon size={16} /> : <CameraOffIcon size={16} />}
              {peer.audioOnly ? t('room.people.audioOnly') : peer.camera ? t('room.people.cameraOn') : t('room.people.cameraOff')}
            </span>
          )}
          {peer.screen && (
            <span className={classes.state}>
              <ScreenIcon size={16} />
              {t('room.people.screen')}
            </span>
          )}
        </>
      )}
    </div>
  );
}

/** One row: name, role, state; for a host, the buttons to give or take the floor, mute, remove (confirmed). */
function Row({
  self,
  peer,
  isSelf,
  actions,
  showName,
}: {
  self: PeerInfo | null;
  peer: PeerInfo;
  isSelf: boolean;
  actions: Props['actions'];
  showName: boolean;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const label = peerLabel(peer, t);
  const role = roleLabel(peer, t);
  const can = (action: 'mute' | 'floor' | 'remove') => !isSelf && self !== null && mayModerate(self.role, peer.role, action);
  const floor = can('floor');
  const mute = can('mute') && peer.mic;
  const remove = can('remove');
  return (
    <li
      className={`${classes.row} ${peer.away ? classes.rowAway : ''} ${peer.hand ? classes.rowHand : ''}`}
      data-testid={`participant-${peer.id}`}
      data-role={peer.role}
      data-self={isSelf || undefined}
      data-hand={String(peer.hand)}
      data-mic={String(peer.mic)}
      data-camera={String(peer.camera)}
      data-away={String(peer.away)}
      data-floor={peer.floor}
    >
      <div className={classes.rowHead}>
        <Text fw={650} className={classes.name}>
          {label}
          {isSelf && <span className={classes.you}> ({t('room.you').toLowerCase()})</span>}
        </Text>
        {/* In a webinar's long list every attendee would carry the same badge «Участник»: an attendee is
            marked only by its number, which a host needs to tell who «Участник 3» in the audience is. */}
        {label !== role && (peer.role !== 'attendee' || peer.number !== null) && <span className={classes.role}>{role}</span>}
        {remove && !confirming && (
          <Button
            size="compact-sm"
            variant="subtle"
            color="red.9"
            className={classes.removeButton}
            data-testid={`remove-${peer.id}`}
            onClick={() => setConfirming(true)}
            aria-label={t('room.people.removeFor', { label })}
          >
            {t('room.people.remove')}
          </Button>
        )}
      </div>
      <StateLine peer={peer} />
      {confirming ? (
        <Group gap={6} className={classes.actions}>
          <Text size="sm" fw={600} w="100%">
            {t('room.people.removeQuestion', { label })}
          </Text>
          <Button size="compact-sm" color="red.9" data-testid={`remove-confirm-${peer.id}`} onClick={() => actions.removePeer(peer.id)}>
            {t('room.people.removeConfirm')}
          </Button>
          <Button size="compact-sm" variant="default" onClick={() => setConfirming(false)}>
            {t('room.people.cancel')}
          </Button>
        </Group>
      ) : (
        (floor || mute) && (
          <Group gap={6} className={classes.actions}>
            {floor && peer.floor === 'none' && (
              <Button
                size="compact-sm"
                variant={peer.hand ? 'filled' : 'light'}
                data-testid={`grant-mic-${peer.id}`}
                onClick={() => actions.grantFloor(peer.id, false, showName)}
                aria-label={t('room.people.grantMicFor', { label })}
              >
                {t('room.people.grantMic')}
              </Button>
            )}
            {floor && peer.floor !== 'full' && (
              <Button
                size="compact-sm"
                variant="light"
                data-testid={`grant-full-${peer.id}`}
                onClick={() => actions.grantFloor(peer.id, true, showName)}
                aria-label={t('room.people.grantFullFor', { label })}
              >
                {t('room.people.grantFull')}
              </Button>
            )}
            {floor && peer.floor !== 'none' && (
              <Button
                size="compact-sm"
                variant="default"
                data-testid={`revoke-${peer.id}`}
                onClick={() => actions.revokeFloor(peer.id)}
                aria-label={t('room.people.revokeFor', { label })}
              >
                {t('room.people.revoke')}
              </Button>
            )}
            {mute && (
              <Button
                size="compact-sm"
                variant="default"
                data-testid={`mute-${peer.id}`}
                onClick={() => actions.mutePeer(peer.id)}
                aria-label={t('room.people.muteFor', { label })}
              >
                {t('room.people.mute')}
              </Button>
            )}
          </Group>
        )
      )}
    </li>
  );
}

/**
 * Everyone this participant may see, with their role and state: those who lead first, then
 * raised hands, then speakers. A webinar attendee sees only the hosts and speakers (the
 * other families' names stay private) and is told so.
 */
export function ParticipantList({ self, peers, kind, actions }: Props) {
  const { t, i18n } = useTranslation();
  const ordered = orderParticipants(peers, new Intl.Collator(i18n.language));
  const hands = peers.filter((p) => p.hand).length;
  const rows = self ? [self, ...ordered] : ordered;
  // The host's choice for the floor it gives: by default the other attendees see the speaker as «Участник N».
  const [showName, setShowName] = useState(false);
  const moderates = kind === 'webinar' && self !== null && hasPower(self.role, 'moderate');
  return (
    <div className={classes.section} data-testid="participants">
      {moderates && (
        <Checkbox
          data-testid="floor-show-name"
          className={classes.note}
          label={t('room.people.showName')}
          description={t('room.people.showNameHint')}
          checked={showName}
          onChange={(e) => setShowName(e.currentTarget.checked)}
          size="md"
        />
      )}
      {hands > 0 && self && kind === 'webinar' && self.role !== 'attendee' && (
        <Text fw={650} className={classes.handsNote} data-testid="hands-count">
          <HandIcon size={18} /> {t('room.people.hands', { count: hands })}
        </Text>
      )}
      <ul className={classes.list} aria-label={t('room.people.title')}>
        {rows.map((p) => (
          <Row key={p.id} self={self} peer={p} isSelf={p === self} actions={actions} showName={showName} />
        ))}
      </ul>
      {kind === 'webinar' && self?.role === 'attendee' && (
        <Text size="sm" c="gray.7" className={classes.note}>
          {t('room.people.privateAudience')}
        </Text>
      )}
      {kind === 'webinar' && self?.role === 'attendee' && self.number !== null && (
        <Text size="sm" c="gray.7" className={classes.note} data-testid="your-number">
          {t('room.people.yourNumber', { number: self.number })}
        </Text>
      )}
    </div>
  );
}
