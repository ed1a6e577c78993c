// The rows most scalar families check in describeStandardChecks: one owner for the sample/batch
// shape arithmetic the shape rows spell out, and for the bad-parameter rows that families of two
// positive parameters share.

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

/**
 * {@link scalarEventShapes} of a family with two parameters, `first` and `second`: `scalar` gives
 * both values of the batch [] row, `pair` the first's two values (batch [2]) and the second's one;
 * the grid row puts the first as a column [[1], [2]] against the second as a row [1, 2, 3], so the
 * batch [2, 3] comes from broadcasting.
 */
export function twoParameterShapes<P>(
  first: keyof P & string,
  second: keyof P & string,
  scalar: [number, number],
  pair: [[number, number], number],
): [P, number[], number[], number[], number[]][] {
  const params = (a: unknown, b: unknown) => ({ [first]: a, [second]: b }) as P;
  return scalarEventShapes(params(...scalar), params(...pair), params([[1], [2]], [1, 2, 3]));
}

/**
 * {@link describeStandardChecks}'s `badParams` rows of a family with two positive parameters, `first`
 * and `second`: a zero at index [1] of `first` (the message names the family, the argument, the
 * constraint, the value and its index) and a negative `second`.
 */
export function positiveParameterErrors<P>(family: string, first: keyof P & string, second: keyof P & string): [P, string | RegExp][] {
  const params = (a: unknown, b: unknown) => ({ [first]: a, [second]: b }) as P;
  return [
    [params([1, 0], 1), `${family}: ${first} must be positive (> 0) and finite; got 0 at index [1]`],
    [params(1, -2), new RegExp(`${family}: ${second} must be positive`)],
  ];
}
