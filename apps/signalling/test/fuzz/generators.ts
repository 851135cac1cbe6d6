// Values for the fuzzer (fuzz.test.ts), made by fast-check from JSON Schemas: the REST
// operations' schemas come from the running server's /api/openapi.json, the socket events'
// from the protocol's zod schemas (z.toJSONSchema). Three kinds of value:
//   valid     what the schema accepts (best effort: patterns and cross-field rules aside)
//   boundary  lengths and numbers at and just past their limits, empty and one-too-many arrays
//   hostile   wrong types, huge arrays, deep nesting, control characters, prototype-pollution
//             keys, unicode edge cases (lone surrogates, RTL override, zero-width), long strings
// Every generated free-text string carries MARKER somewhere, so that the invariants can find
// a request body that leaked into the audit log.
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Schema = Record<string, unknown>;
export type Mode = 'valid' | 'boundary' | 'hostile';

/** Appears in generated text: an audit row holding it holds a request body. */
export const MARKER = 'fz7q';

/** Known ids by kind (the fixtures' and whatever 2xx answers returned), for values that reach past validation. */
export interface Pools {
  ids(kind: string): readonly string[];
}

const CONTROL = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u000d', '\u001b', '\u001f', '\u007f', '\u0085', '\u009f'];
const UNICODE_EDGES = [
  '\ud800', // a lone high surrogate
  '\udfff', // a lone low surrogate
  '\u202e', // right-to-left override
  '\u2066', // left-to-right isolate
  '\u200b', // zero-width space
  '\u200d', // zero-width joiner
  '\ufeff', // byte-order mark
  '\u2028', // line separator (breaks naive JavaScript embedding)
  '\u0301', // a combining accent on nothing
  '\uffff', // a non-character
  '😀',
  '𝕏',
  'ё',
  'İ', // changes length when lower-cased
  'ß', // changes length when upper-cased
];
const INJECTION = [
  "' OR 1=1 --",
  '"; DROP TABLE staff_users; --',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  '../../../../etc/passwd',
  '%00',
  '\\u0000',
  'javascript:alert(1)',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '9999999999999999999',
  '-9223372036854775809',
  '0x7fffffff',
  '2026-02-30',
  '2026-13-01',
  '24:00',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00Z',
];
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'];

const safeChar = fc.constantFrom(...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГ abcdefxyzXYZ0123456789-.,'.split(''));
/** Ordinary text with the marker. */
const texts = new Map<string, fc.Arbitrary<string>>();
const text = (min = 0, max = 40): fc.Arbitrary<string> => {
  const key = `${min}:${max}`;
  let arb = texts.get(key);
  if (!arb) {
    arb = fc
      .string({ unit: safeChar, minLength: Math.max(0, min - MARKER.length), maxLength: Math.max(0, Math.min(max, 60) - MARKER.length) })
      .map((s) => (max >= MARKER.length ? `${MARKER}${s}` : s.slice(0, max)));
    texts.set(key, arb);
  }
  return arb;
};

/** A string that is wrong in a way a careless server mishandles. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(text(0, 20), fc.constantFrom(...CONTROL), text(0, 20)).map(([a, c, b]) => a + c + b),
  fc.tuple(text(0, 20), fc.constantFrom(...UNICODE_EDGES), text(0, 20)).map(([a, c, b]) => a + c + b),
  fc.array(fc.constantFrom(...CONTROL, ...UNICODE_EDGES), { minLength: 1, maxLength: 30 }).map((a) => MARKER + a.join('')),
  fc.constantFrom(...INJECTION),
  fc.constantFrom('', ' ', '\t', '\n', '\u00a0', '\u3000'),
  fc.constantFrom(1_000, 2_001, 10_000, 70_000, 300_000).map((n) => (MARKER + 'я'.repeat(n)).slice(0, n)),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => MARKER + s),
);

/** Something of the wrong type, or far too big, or nested far too deep. */
const hostileShape: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, -0, 1e308, -1e308, 2 ** 53 + 1, [], {}, ['x'], { a: 1 }),
  hostileString,
  fc.constantFrom(1_000, 20_000).map((n) => Array.from({ length: n }, (_, i) => i) as Json),
  fc.integer({ min: 50, max: 3_000 }).map((depth) => {
    let v: Json = MARKER;
    for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
    return v;
  }),
  fc.constantFrom(...PROTO_KEYS).map((k) => protoObject(k)),
);

/** `{"__proto__": {…}}` as JSON.parse would make it (an own key), not as an object literal would. */
export function protoObject(key: string, extra: Record<string, Json> = {}): Json {
  // A computed key makes an own property, and JSON.parse keeps it one.
  return JSON.parse(JSON.stringify({ ...extra, [key]: { polluted: MARKER, isAdmin: true, prototype: { polluted: MARKER } } })) as Json;
}

/** Resolves `#/components/schemas/X` against the document. */
export type Resolve = (schema: Schema) => Schema;

export function resolver(doc: { components?: { schemas?: Record<string, Schema> } }): Resolve {
  return function resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; i < 20 && typeof s.$ref === 'string'; i++) {
      const name = s.$ref.replace(/^#\/components\/schemas\//, '');
      const target = doc.components?.schemas?.[name];
      if (!target) return {};
      s = { ...target, ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) };
    }
    return s;
  };
}

const ID_KIND = /^(.*?)(Id|Ids)$/;

/** The kind of id a property holds: 'specialistIds' → 'specialist', 'peerId' → 'peer'. */
export function idKind(name: string | undefined): string | undefined {
  if (!name) return undefined;
  if (name === 'id') return 'any';
  const m = ID_KIND.exec(name);
  return m ? m[1]! : undefined;
}

interface Ctx {
  resolve: Resolve;
  pools: Pools;
  depth: number;
}

/** A value the schema accepts (as far as a JSON Schema can say). */
export function validArb(schema: Schema, ctx: Ctx, name?: string): fc.Arbitrary<Json> {
  const s = ctx.resolve(schema);
  if (ctx.depth > 8) return fc.constant(null);
  const deeper = { ...ctx, depth: ctx.depth + 1 };
  if ('const' in s) return fc.constant(s.const as Json);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as Json[]));
  const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alts?.length) return fc.oneof(...alts.map((a) => validArb(a, deeper, name)));
  if (Array.isArray(s.allOf) && s.allOf.length) return validArb(s.allOf[0] as Schema, deeper, name);
  const type = Array.isArray(s.type) ? ((s.type as string[]).find((t) => t !== 'null') ?? 'null') : (s.type as string | undefined);
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = numberOr(s.minimum, numberOr(s.exclusiveMinimum, -1000) + (type === 'integer' ? 1 : 0.001));
      const max = numberOr(s.maximum, numberOr(s.exclusiveMaximum, min + 1000) - (type === 'integer' ? 1 : 0.001));
      return type === 'integer'
        ? fc.integer({ min: Math.ceil(Math.max(min, -(2 ** 31))), max: Math.floor(Math.min(max, 2 ** 31 - 1)) })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'string':
      return validString(s, ctx, name);
    case 'array': {
      // A tuple (`prefixItems`, `items: false`): one value per position.
      if (Array.isArray(s.prefixItems))
        return fc.tuple(...(s.prefixItems as Schema[]).map((p) => validArb(p, deeper, name))) as fc.Arbitrary<Json>;
      const items = typeof s.items === 'object' && s.items !== null ? (s.items as Schema) : {};
      const minLength = numberOr(s.minItems, 0);
      const maxLength = Math.min(numberOr(s.maxItems, minLength + 3), minLength + 3);
      const kind = idKind(name);
      if (kind && kind !== 'any' && ctx.pools.ids(kind).length) {
        return fc.uniqueArray(fc.constantFrom(...ctx.pools.ids(kind)), {
          minLength: Math.min(minLength, 1),
          maxLength: Math.max(1, Math.min(maxLength, 2)),
        });
      }
      return fc.array(validArb(items, deeper, name?.replace(/s$/, '')), { minLength, maxLength });
    }
    case 'object':
    case undefined: {
      const props = (s.properties as Record<string, Schema> | undefined) ?? {};
      if (type === undefined && !s.properties) return fc.oneof(fc.string(), fc.integer(), fc.constant(null));
      const required = new Set((s.required as string[] | undefined) ?? []);
      const model: Record<string, fc.Arbitrary<Json>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = validArb(v, deeper, k);
      return fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) }) as fc.Arbitrary<Json>;
    }
    default:
      return fc.constant(null);
  }
}

function numberOr(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

const matchers = new Map<string, fc.Arbitrary<string>>();

function validString(s: Schema, ctx: Ctx, name?: string): fc.Arbitrary<string> {
  const min = numberOr(s.minLength, 0);
  const max = numberOr(s.maxLength, 200);
  const kind = idKind(name);
  const pool = kind ? ctx.pools.ids(kind) : [];
  const format = s.format as string | undefined;
  const byFormat = (): fc.Arbitrary<string> | undefined => {
    switch (format) {
      case 'uuid':
        return fc.uuid({ version: 7 });
      case 'email':
        return fc.constantFrom(`${MARKER}@example.org`, 'nobody@example.org', `a.${MARKER}+tag@пример.рф`);
      case 'date-time':
        return fc.date({ min: new Date('2025-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
      case 'date':
        return fc
          .date({ min: new Date('2025-01-01'), max: new Date('2027-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      case 'uri':
      case 'url':
        return fc.constantFrom('https://example.org/a.pdf', `https://example.org/${MARKER}`, 'http://localhost/');
      default:
        return undefined;
    }
  };
  const formatted = byFormat();
  const pattern = typeof s.pattern === 'string' ? s.pattern : undefined;
  let patterned: fc.Arbitrary<string> | undefined;
  if (pattern && !/^\^\[\^/.test(pattern)) {
    // A positive pattern (a date, a month, a time): fast-check builds matching strings.
    try {
      // Cached: building a regex's arbitrary (the instant's pattern is long) costs far more than drawing from it.
      let matching = matchers.get(pattern);
      if (!matching) matchers.set(pattern, (matching = fc.stringMatching(new RegExp(pattern, 'u'))));
      patterned = matching.filter((v) => v.length >= min && v.length <= max);
    } catch {
      patterned = undefined;
    }
  }
  const plain = text(min, max).filter((v) => v.length >= min && v.length <= max && (!pattern || new RegExp(pattern, 'u').test(v)));
  const base = formatted ?? patterned ?? plain;
  return pool.length ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 4 }, { arbitrary: base, weight: 1 }) : base;
}

/** Values at the limits: exactly the bound and one past it. */
export function boundaryArb(schema: Schema, ctx: Ctx, name?: string): fc.Arbitrary<Json> {
  const s = ctx.resolve(schema);
  const type = Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== 'null') : (s.type as string | undefined);
  const out: Json[] = [];
  if (type === 'string') {
    const min = numberOr(s.minLength, 0);
    const max = numberOr(s.maxLength, 10_000);
    for (const n of [min - 1, min, max, max + 1]) if (n >= 0 && n <= 400_000) out.push(MARKER.repeat(Math.ceil(n / 4) + 1).slice(0, n));
    out.push('x'.repeat(Math.max(0, max)) + '\u0301'); // one grapheme more than it looks
  } else if (type === 'integer' || type === 'number') {
    for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
      const v = s[k];
      if (typeof v === 'number') out.push(v, v - 1, v + 1, v + 0.5);
    }
    out.push(0, -1, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, 1e-9);
  } else if (type === 'array') {
    const min = numberOr(s.minItems, 0);
    const max = numberOr(s.maxItems, 50);
    const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as Schema[]) : null;
    const item = prefix?.[0] ?? (typeof s.items === 'object' && s.items !== null ? (s.items as Schema) : {});
    // One valid item repeated: as wrong for the limit as n different ones, and cheap to make.
    return fc
      .tuple(fc.constantFrom(min - 1, min, max, max + 1), validArb(item, ctx, name))
      .map(([n, one]) => (n < 0 ? [] : Array.from({ length: Math.min(n, 5_000) }, () => one)) as Json);
  } else if (type === 'object') {
    return validArb(s, ctx, name).map((v) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
      const copy = { ...v };
      // Drop a required field, or add one the schema does not know.
      const req = (s.required as string[] | undefined) ?? [];
      if (req.length) delete copy[req[0]!];
      else copy[`${MARKER}_extra`] = 1;
      return copy;
    });
  }
  return out.length ? fc.constantFrom(...out) : validArb(s, ctx, name);
}

/** Anything at all that is wrong. */
export function hostileArb(): fc.Arbitrary<Json> {
  return hostileShape;
}

/**
 * A request body or payload: mostly a valid value with one field made boundary or hostile
 * (so that the wrong value travels past the easy checks), sometimes wholly hostile.
 */
export function payloadArb(schema: Schema | undefined, ctx: Omit<Ctx, 'depth'>): fc.Arbitrary<{ mode: Mode; value: Json | undefined }> {
  const c: Ctx = { ...ctx, depth: 0 };
  if (!schema) {
    return fc.oneof(
      { arbitrary: fc.constant({ mode: 'valid' as Mode, value: undefined }), weight: 3 },
      { arbitrary: hostileShape.map((value) => ({ mode: 'hostile' as Mode, value })), weight: 1 },
    );
  }
  const s = ctx.resolve(schema);
  const props = Object.entries((s.properties as Record<string, Schema> | undefined) ?? {});
  const valid = validArb(s, c);
  // One arbitrary per property, made here: made inside a `chain` they would be rebuilt for
  // every value, and a new fast-check string arbitrary is costly on its first use.
  const mutated = (mode: 'boundary' | 'hostile') =>
    props.length === 0
      ? (mode === 'hostile' ? hostileShape : boundaryArb(s, c)).map((value) => ({ mode, value }))
      : fc.oneof(
          ...props.map(([key, sub]) =>
            fc.tuple(valid, mode === 'hostile' ? hostileShape : boundaryArb(sub, c, key)).map(([v, bad]) => ({
              mode,
              value: v && typeof v === 'object' && !Array.isArray(v) ? ({ ...v, [key]: bad } as Json) : bad,
            })),
          ),
        );
  const polluted = fc.tuple(valid, fc.constantFrom(...PROTO_KEYS)).map(([v, key]) => ({
    mode: 'hostile' as Mode,
    value: protoObject(key, v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Json>) : {}),
  }));
  return fc.oneof(
    { arbitrary: valid.map((value) => ({ mode: 'valid' as Mode, value })), weight: 3 },
    { arbitrary: mutated('boundary'), weight: 2 },
    { arbitrary: mutated('hostile'), weight: 3 },
    { arbitrary: polluted, weight: 1 },
    { arbitrary: hostileShape.map((value) => ({ mode: 'hostile' as Mode, value })), weight: 1 },
  );
}

/** A path or query parameter's value as text: a known id, a valid value, or something hostile. */
export function paramArb(schema: Schema, ctx: Omit<Ctx, 'depth'>, name: string): fc.Arbitrary<{ mode: Mode; value: string | string[] }> {
  const c: Ctx = { ...ctx, depth: 0 };
  const asText = (v: Json): string => (typeof v === 'string' ? v : JSON.stringify(v));
  return fc.oneof(
    { arbitrary: validArb(schema, c, name).map((v) => ({ mode: 'valid' as Mode, value: asText(v) })), weight: 4 },
    { arbitrary: boundaryArb(schema, c, name).map((v) => ({ mode: 'boundary' as Mode, value: asText(v) })), weight: 1 },
    { arbitrary: hostileString.map((value) => ({ mode: 'hostile' as Mode, value: value.slice(0, 6_000) })), weight: 2 },
    // The same parameter twice (?a=1&a=2): express makes it an array.
    {
      arbitrary: fc
        .array(
          hostileString.map((v) => v.slice(0, 100)),
          { minLength: 2, maxLength: 3 },
        )
        .map((value) => ({ mode: 'hostile' as Mode, value })),
      weight: 1,
    },
  );
}
