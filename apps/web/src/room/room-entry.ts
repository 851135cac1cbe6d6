// The room's part of the app, loaded while the person looks at the preview (JoinPage):
// mediasoup-client, socket.io, the protocol's schemas and the room screens with their
// Mantine sheets stay out of the invitation page's first paint on a slow link.
import './mantine-room-styles.ts';

export { RoomClient } from './room-client.ts';
export { RoomScreen } from './RoomScreen.tsx';
export { WaitingRoom } from './WaitingRoom.tsx';
