// The shape rows most scalar families check in describeStandardChecks: one owner for the
// sample/batch shape arithmetic those rows spell out.

/** A `[2, 3]` batch of consecutive parameter values from `first` (first, first + 1, ... by rows). */
export function grid2x3(first = 0): number[][] {
  return [0, 3].map((row) => [0, 1, 2].map((col) => first + row + col));
}

/**
 * Rows for {@link describeStandardChecks}'s `shapes` of a family with scalar events: `scalar` has batch
 * shape [] (sampled with no sample shape), `pair` batch [2] (sampled [3]), `grid` batch [2, 3]
 * (sampled [4, 5]); without `grid`, the first two rows.
 */
export function scalarEventShapes<P>(scalar: P, pair: P, grid?: P): [P, number[], number[], number[], number[]][] {
  const rows: [P, number[], number[], number[], number[]][] = [
    [scalar, [], [], [], []],
    [pair, [2], [], [3], [3, 2]],
  ];
  if (grid !== undefined) rows.push([grid, [2, 3], [], [4, 5], [4, 5, 2, 3]]);
  return rows;
}
