/**
 * A number as the Python fixture generators write it: JSON has no Infinity or NaN, so they write
 * the strings 'inf', '-inf' and 'nan', and null where a reference does not exist (for example, a
 * family torch.distributions lacks).
 */
export type FixtureNumber = number | 'inf' | '-inf' | 'nan' | null;

/** A family's parameters as the fixtures write them: by name, a number or a (nested) array. */
export type FixtureParams = Record<string, number | number[] | number[][]>;

/** Decodes a {@link FixtureNumber}; null (no reference) reads as NaN. */
export function fixtureNumber(v: FixtureNumber): number {
  if (v === null || v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}
