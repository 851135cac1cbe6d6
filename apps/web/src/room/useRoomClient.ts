import { useSyncExternalStore } from 'react';
import type { RoomClient } from './room-client.ts';
import { initialState, type RoomState } from './room-state.ts';

const noop = () => () => undefined;
const initial = () => initialState;

/** The room's state for React; re-renders on every change the client publishes. */
export function useRoomState(client: RoomClient | null): RoomState {
  return useSyncExternalStore(client?.subscribe ?? noop, client?.getSnapshot ?? initial);
}
