import { useEffect, useRef, useState } from 'react';

// One page of a list that the server filters and pages (50 rows a page): the journals and the
// clients' registry.

/** What every paged list answer carries. */
export interface ServerPage {
  page: number;
  pageSize: number;
  total: number;
}

export interface ServerList<P extends ServerPage> {
  /** The last page received (kept while the next one loads or when a reload fails). */
  data: P | null;
  busy: boolean;
  /** The last request's failure, as thrown (null after a success). */
  error: unknown;
  page: number;
  setPage: (page: number) => void;
  /** How many pages there are (at least 1). */
  pages: number;
  /** Asks again for the same page (after a change made on the screen). */
  reload: () => void;
}

/** How many pages a list has (at least one, so that «page 1 of 1» holds for an empty list). */
export function pageCount(p: ServerPage): number {
  return Math.max(1, Math.ceil(p.total / p.pageSize));
}

/** The rows a page shows, counted from 1 across the whole list: «Показаны 51–100 из 120». */
export function shownRange(p: ServerPage, rows: number): { from: number; to: number; total: number } {
  const before = (p.page - 1) * p.pageSize;
  return { from: before + 1, to: before + rows, total: p.total };
}

/**
 * Loads `fetchPage(query, page)` whenever the query or the page changes; a new query starts again
 * at the first page, and an answer that comes after a newer request is dropped. `query` must keep
 * its identity while it means the same (useMemo); null means nothing to ask yet.
 */
export function useServerList<Q, P extends ServerPage>(query: Q | null, fetchPage: (query: Q, page: number) => Promise<P>): ServerList<P> {
  const [at, setAt] = useState<{ query: Q | null; page: number }>({ query, page: 1 });
  // A new query goes back to page 1 at once (no request for the old page number).
  const current = at.query === query ? at : { query, page: 1 };
  if (current !== at) setAt(current);
  const [data, setData] = useState<P | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const fetchRef = useRef(fetchPage);
  useEffect(() => {
    fetchRef.current = fetchPage;
  });

  const { page } = current;
  useEffect(() => {
    if (query === null) return;
    let live = true;
    setBusy(true);
    fetchRef.current(query, page).then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setBusy(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, [query, page, round]);

  return {
    data,
    busy,
    error,
    page,
    setPage: (p) => setAt({ query, page: p }),
    pages: data ? pageCount(data) : 1,
    reload: () => setRound((n) => n + 1),
  };
}
