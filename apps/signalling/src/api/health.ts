// GET /api/health/rooms: the latest room-health snapshot (what the /admin namespace pushes
// every 2 s), cut to the caller's scope — for a page's first paint and for scripts.
import { contract, HealthSnapshot } from '@dp/protocol';
import { snapshotFor } from '../health/admin-socket.ts';
import { defineRoute, routeTable } from './route.ts';

export const healthRoutes = routeTable([
  defineRoute(contract['health.rooms'], {
    handler: async ({ access, deps }) => {
      const latest = deps.health?.latest;
      const empty: HealthSnapshot = { at: deps.now().toISOString(), nodes: [], signalling: [], rooms: [], alerts: [] };
      if (!latest || !deps.health) return empty;
      const health = deps.health;
      return snapshotFor(access.caller!.user, latest, (id) => health.scopeOf(id));
    },
  }),
]);
