import { initialState, type LocalState, type RoomState } from './room-state.ts';
import type { ClientErrorCode } from './room-error.ts';
import type { TimingMark, Timings } from './timings.ts';

/**
 * The room's state as React reads it (`subscribe`/`getSnapshot`, for useSyncExternalStore),
 * the spoken status line, the join milestones, and the session number.
 *
 * Every join attempt runs under a session number. Tear-down bumps it, so answers that
 * arrive for an abandoned attempt (after a reset, leave or unmount) are dropped and the
 * objects they carry are closed instead of leaking. The parts of the room client (the
 * media session, the local tracks, the stats reporter) share one store.
 */
export class RoomStore {
  /** Join milestones of the current attempt, `performance.now()` ms (read by the join-time benchmark). */
  timings: Timings = {};
  session = 0;
  disposed = false;

  private _state: RoomState = initialState;
  private readonly listeners = new Set<() => void>();
  private statusSeq = 0;

  get state(): RoomState {
    return this._state;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): RoomState => this._state;

  set(patch: Partial<RoomState>): void {
    this._state = { ...this._state, ...patch };
    for (const l of this.listeners) l();
  }

  setLocal(patch: Partial<LocalState>): void {
    this.set({ local: { ...this._state.local, ...patch } });
  }

  setPending(which: keyof RoomState['pending'], value: boolean): void {
    this.set({ pending: { ...this._state.pending, [which]: value } });
  }

  announce(key: string, params?: Record<string, string>): void {
    this.set({ status: { key, ...(params ? { params } : {}), seq: ++this.statusSeq } });
  }

  announceError(code: ClientErrorCode): void {
    this.announce(`errors.${code}`);
  }

  mark(m: TimingMark, at = performance.now()): void {
    if (this.timings[m] === undefined) this.timings[m] = at;
  }

  alive(session: number): boolean {
    return session === this.session && !this.disposed;
  }

  /** In the room proper (not its waiting room): the state in which media and room requests are allowed. */
  get inRoom(): boolean {
    return this._state.phase === 'joined' && this._state.admission === 'admitted';
  }

  /** The page is going away or the room is over for it: a capture that finishes now is released at once. */
  get over(): boolean {
    const { phase } = this._state;
    return this.disposed || phase === 'left' || phase === 'closed' || phase === 'failed';
  }

  /** The page has gone: nobody listens any more. */
  detach(): void {
    this.listeners.clear();
  }
}
