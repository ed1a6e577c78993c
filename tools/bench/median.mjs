// The one median of the benchmark scripts: the plain-Node scripts here import it, and timing.ts
// (the packages' benchmarks) through median.d.mts, so that every figure the harnesses print is the
// same statistic.

/**
 * The middle value of `values`, the upper of the middle two for an even count; `values` is left
 * as it was.
 * @param {number[]} values
 * @returns {number}
 */
export function median(values) {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}

/**
 * The median of each entry's rounds: `{ name: [figures] }` to `{ name: median }`.
 * @param {Record<string, number[]>} perRound
 * @returns {Record<string, number>}
 */
export function medianOfEach(perRound) {
  return Object.fromEntries(Object.entries(perRound).map(([name, xs]) => [name, median(xs)]));
}
