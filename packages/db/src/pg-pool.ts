// The pg pool every Prisma connection of this package goes through.
import pg from 'pg';

/** PostgreSQL catalog types that @prisma/adapter-pg 6.19 cannot deserialize. */
const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

interface FieldLike {
  dataTypeID: number;
}
interface ResultLike {
  fields?: FieldLike[];
  rows?: unknown[];
}

/**
 * Which columns of a result were `"char"`, keyed by the result's rows array (the adapter hands
 * that same array on, so adapter.ts can find it again and report those columns as characters).
 */
export const charColumns = new WeakMap<object, number[]>();

/**
 * `migrate deploy` and `migrate diff` read the catalog (pg_namespace, pg_constraint …), whose
 * `name` and `"char"` columns make adapter-pg 6.19 fail with "Column type 'name' could not be
 * deserialized". Both arrive as text on the wire (pg-types leaves them as strings), so the
 * result's field types are relabelled `text`; `"char"` columns are remembered as well, because
 * the schema engine expects them as characters (as text, reading a CHECK constraint's
 * `contype` aborts the WASM engine with "unreachable"). Harmless for application tables.
 */
function relabelCatalogTypes(result: unknown): void {
  for (const r of (Array.isArray(result) ? result : [result]) as ResultLike[]) {
    const chars: number[] = [];
    (r?.fields ?? []).forEach((f, i) => {
      if (f.dataTypeID === CHAR_OID) chars.push(i);
      if (f.dataTypeID === NAME_OID || f.dataTypeID === CHAR_OID) f.dataTypeID = TEXT_OID;
    });
    if (chars.length > 0 && r?.rows) charColumns.set(r.rows, chars);
  }
}

type AnyQuery = (this: pg.Client, ...args: unknown[]) => unknown;
const baseQuery = pg.Client.prototype.query as unknown as AnyQuery;

/** pg.Client whose results never carry the `name` / `"char"` type ids. */
export class CatalogAsTextClient extends pg.Client {}
(CatalogAsTextClient.prototype as unknown as { query: AnyQuery }).query = function (this: pg.Client, ...args: unknown[]) {
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === 'function') {
    // Callback style (pg.Pool#query uses it).
    args[last] = (err: unknown, res: unknown) => {
      if (!err) relabelCatalogTypes(res);
      (callback as (e: unknown, r: unknown) => void)(err, res);
    };
    return baseQuery.apply(this, args);
  }
  const out = baseQuery.apply(this, args);
  if (out && typeof (out as Promise<unknown>).then === 'function') {
    return (out as Promise<unknown>).then((res) => {
      relabelCatalogTypes(res);
      return res;
    });
  }
  return out; // a Submittable (cursor, stream): returned as is
};

export interface PoolOptions {
  /** Connections at most (default 10). */
  max?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
}

export function createPgPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  return new pg.Pool({
    connectionString: databaseUrl,
    Client: CatalogAsTextClient,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    // An idle pool never keeps a process alive (the CLI would otherwise linger 30 s).
    allowExitOnIdle: true,
    connectionTimeoutMillis: 10_000,
    application_name: options.applicationName ?? 'distpriem',
  });
}
