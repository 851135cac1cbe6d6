/** What the UI can say about one capture device. */
export type DeviceStatus = 'pending' | 'ok' | 'denied' | 'missing' | 'busy' | 'unsupported';

/** Maps a getUserMedia DOMException name to what the user can do about it. */
export function classifyMediaError(name: string | undefined): Exclude<DeviceStatus, 'pending' | 'ok'> {
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError': // older Chromium
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    case 'TypeError': // no mediaDevices in an insecure context
      return 'unsupported';
    default:
      return 'busy';
  }
}
