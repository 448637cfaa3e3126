/**
 * Small statistics for benchmark figures. Every figure in RESULTS.md is the
 * minimum, median and maximum of at least three runs, because the machines
 * these benchmarks run on are shared and a single run can be an outlier.
 */

export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number;
}

/** The minimum, median and maximum of some runs; undefined for none. */
export function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0],
    median: percentileOfSorted(sorted, 50),
    max: sorted[sorted.length - 1],
    runs: sorted.length,
  };
}

/**
 * The p-th percentile of ascending values by the nearest-rank method: the
 * smallest value that at least p percent of the values do not exceed. The
 * median of an even count is the mean of the two middle values instead.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const count = sorted.length;
  if (count === 0) return Number.NaN;
  if (p === 50 && count % 2 === 0) return (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
  const rank = Math.max(1, Math.ceil((p / 100) * count));
  return sorted[Math.min(rank, count) - 1];
}

/** The ratio of two medians, or undefined when either is missing or the divisor is zero. */
export function ratioOfMedians(
  numerator: Spread | undefined,
  denominator: Spread | undefined,
): number | undefined {
  if (numerator === undefined || denominator === undefined || denominator.median === 0) {
    return undefined;
  }
  return numerator.median / denominator.median;
}
