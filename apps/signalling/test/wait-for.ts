// Waiting for a condition instead of sleeping for a guessed time: the test goes on as soon as
// the condition holds, and fails with what it waited for when it never does.

export interface WaitOptions {
  /** How long the condition may take (default 5 s). */
  timeoutMs?: number;
  /** What is awaited, for the failure message. */
  what?: string;
  /** How often the condition is checked (default 50 ms). */
  everyMs?: number;
}

/**
 * Polls `cond` until it holds; throws after the timeout. A `cond` that throws counts as not
 * yet (the last error is in the failure message).
 */
export async function waitFor(cond: () => boolean | Promise<boolean>, options: WaitOptions | number = {}): Promise<void> {
  const { timeoutMs = 5000, what = 'condition', everyMs = 50 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await cond()) return;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= end) {
      const why = lastError === undefined ? '' : ` (last error: ${(lastError as Error)?.message ?? String(lastError)})`;
      throw new Error(`${what} not met within ${timeoutMs} ms${why}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
