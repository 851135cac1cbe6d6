// Small numeric helpers shared by the modules (not part of the package's API).

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** The largest value, or `empty` when there is none. */
export function maxOf(values: Iterable<number>, empty = 0): number {
  let max: number | undefined;
  for (const v of values) if (max === undefined || v > max) max = v;
  return max ?? empty;
}
