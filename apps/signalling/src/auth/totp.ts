// The second factor: RFC 6238 TOTP (30 s, 6 digits, SHA-1 — what every authenticator app
// reads from a QR code) through otplib. A code is accepted one step either side of now, and
// never twice: the accepted step is stored and later codes must be newer.
import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';

const PERIOD = 30;
const ISSUER = 'Дистанционная приёмная';

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export async function totpEnrolment(secret: string, accountLabel: string): Promise<{ secret: string; otpauthUri: string; qrSvg: string }> {
  const otpauthUri = generateURI({ issuer: ISSUER, label: accountLabel, secret, period: PERIOD });
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, otpauthUri, qrSvg };
}

/**
 * The time step the code belongs to when it is valid and newer than `lastStep`, else null.
 * `now` is passed in so that tests can check codes of a fixed instant.
 */
export function checkTotp(secret: string, code: string, lastStep: number | null, now: Date): number | null {
  try {
    const result = verifySync({
      secret,
      token: code,
      period: PERIOD,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: PERIOD,
      ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}
