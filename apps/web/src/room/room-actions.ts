import type { RoomClient } from './room-client.ts';
import type { ClientErrorCode } from './room-error.ts';
import type { OnFrameMilestone } from './timings.ts';

// What the room's screens may do, as plain callbacks: the screens (RoomScreen, SidePanel,
// ParticipantList) take these, not the client, so that a preview page can draw them with
// its own (dev/RoomPreview.tsx).

export interface RoomActions {
  toggleMic: () => void;
  toggleCamera: () => void;
  setAudioOnly: (on: boolean) => void;
  leave: () => void;
  /** «Завершить консультацию» for everyone; resolves the error code when it did not end. */
  endConsultation: () => Promise<ClientErrorCode | null>;
  noteFirstFrame: OnFrameMilestone;
  startScreenShare: () => void;
  stopScreenShare: () => void;
  admit: (peerId: string) => void;
  decline: (peerId: string) => void;
  raiseHand: (raised: boolean) => void;
  /** `showName`: the other attendees see the speaker by name (else «Участник N»). */
  grantFloor: (peerId: string, camera: boolean, showName: boolean) => void;
  revokeFloor: (peerId: string) => void;
  mutePeer: (peerId: string) => void;
  removePeer: (peerId: string) => void;
  stepIn: () => void;
  stepOut: () => void;
  sendChat: (text: string, question: boolean) => Promise<boolean>;
  markAnswered: (messageId: string) => void;
  postMaterial: (title: string, url: string) => Promise<boolean>;
}

export function actionsOf(client: RoomClient): RoomActions {
  return {
    toggleMic: () => void client.toggleMic(),
    toggleCamera: () => void client.toggleCamera(),
    setAudioOnly: (on) => void client.setAudioOnly(on),
    leave: () => void client.leave(),
    endConsultation: () => client.endConsultation(),
    noteFirstFrame: (milestone, at) => client.noteFirstFrame(milestone, at),
    startScreenShare: () => void client.startScreenShare(),
    stopScreenShare: () => void client.stopScreenShare(),
    admit: (id) => void client.admit(id),
    decline: (id) => void client.decline(id),
    raiseHand: (raised) => void client.raiseHand(raised),
    grantFloor: (id, camera, showName) => void client.grantFloor(id, camera, showName),
    revokeFloor: (id) => void client.revokeFloor(id),
    mutePeer: (id) => void client.mutePeer(id),
    removePeer: (id) => void client.removePeer(id),
    stepIn: () => void client.stepIn(),
    stepOut: () => void client.stepOut(),
    sendChat: (text, question) => client.sendChat(text, question),
    markAnswered: (id) => void client.markAnswered(id),
    postMaterial: (title, url) => client.postMaterial(title, url),
  };
}
