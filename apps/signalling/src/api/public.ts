// The two operations a page calls without signing in (contract/public.ts): what a client's
// link is for — the link page's first question — and the media server's capabilities, so the
// page loads its mediasoup Device while the camera preview shows (join time).
import { contract, ProtocolError, type MediaCapabilities } from '@dp/protocol';
import type { SfuClient } from '../sfu/sfu-client.ts';
import { defineRoute, routeTable } from './route.ts';

/** The capabilities asked of the SFU once and kept until it disconnects (a failed ask is not kept). */
export function cachedCapabilities(sfu: Pick<SfuClient, 'on' | 'request'>): () => Promise<MediaCapabilities> {
  let capabilities: Promise<MediaCapabilities> | undefined;
  sfu.on('disconnected', () => (capabilities = undefined));
  return () => {
    capabilities ??= sfu.request('capabilities', {}).then((c) => ({ routerRtpCapabilities: c.rtpCapabilities }));
    return capabilities.catch((e: unknown) => ((capabilities = undefined), Promise.reject(e)));
  };
}

export const publicRoutes = routeTable([
  defineRoute(contract['links.describe'], {
    handler: async ({ params, deps, http }) => {
      const links = deps.links;
      if (!links) throw new ProtocolError('sfu_unavailable', 'links are not served here');
      // Limits: a forged or malformed token spends its address's budget only; a genuine one its
      // link's first (a page stuck in a loop), then the address's (the ip honours TRUST_PROXY).
      const address = http.ip ?? 'unknown';
      let claims: ReturnType<typeof links.verify>;
      try {
        claims = links.verify(params.token);
      } catch (e) {
        await deps.budgets?.spend('lookup', address);
        throw e;
      }
      await deps.budgets?.spend('lookup', address, { link: claims.participantId });
      const consultation = await links.describe(claims);
      http.setHeader('Cache-Control', 'no-store');
      return {
        serverNow: deps.now().toISOString(),
        consultationId: claims.consultationId,
        role: claims.role,
        expiresAt: claims.expiresAt.toISOString(),
        consultation,
      };
    },
  }),
  defineRoute(contract['media.capabilities'], {
    handler: async ({ deps }) => {
      if (!deps.media) throw new ProtocolError('sfu_unavailable', 'media server not connected');
      return deps.media.capabilities();
    },
  }),
]);
