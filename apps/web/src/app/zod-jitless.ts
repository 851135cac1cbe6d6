// zod (the protocol's schemas) probes whether it may compile validators with `new Function`;
// under our CSP (no 'unsafe-eval') the probe is refused and reported as a violation on every
// staff page. Its global configuration object — which zod reads from this very global when it
// loads — says not to try. Set before any schema is used; costs the entry no zod code.
const g = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
g.__zod_globalConfig = { ...g.__zod_globalConfig, jitless: true };

export {};
