import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { paramArb, payloadArb, resolver } from './generators.ts';
const doc = JSON.parse(readFileSync('/tmp/g-openapi.json', 'utf8'));
const resolve = resolver(doc);
const pools = { ids: () => [] as string[] };
const arbs: fc.Arbitrary<unknown>[] = [];
for (const [, methods] of Object.entries<any>(doc.paths)) for (const [, op] of Object.entries<any>(methods)) {
  const rec: Record<string, fc.Arbitrary<unknown>> = { body: payloadArb(op.requestBody?.content['application/json'].schema, { resolve, pools }) };
  for (const p of op.parameters ?? []) rec[p.name] = paramArb(p.schema, { resolve, pools }, p.name);
  arbs.push(fc.record(rec));
}
const all = fc.oneof(...arbs);
let t = Date.now();
fc.sample(all, { seed: 1, numRuns: 500 });
console.log('500 rest cases', Date.now() - t, 'ms');
import { z } from 'zod';
import { clientRequests } from '@dp/protocol';
const sock = fc.oneof(...Object.entries(clientRequests).map(([, r]) => payloadArb(z.toJSONSchema(r.payload, { io: 'input', unrepresentable: 'any' }) as any, { resolve, pools })));
t = Date.now();
fc.sample(sock, { seed: 1, numRuns: 500 });
console.log('500 socket cases', Date.now() - t, 'ms');
