// A check the families on the sphere (VonMisesFisher, PowerSpherical) share beyond describeDirectionalChecks.
import { expectFinite } from '@vae/testing';
import type { Distribution } from '@vae/distributions';

/**
 * `it`: with validation off, logProb of points off the unit circle (norm 2, NaN) is -Infinity, never
 * NaN, and a point on it stays finite.
 */
export function itGivesMinusInfinityOffTheSphere(
  make: (params: { meanDirection: number[]; concentration: number; validateArgs: boolean }) => Distribution,
): void {
  it('without validation, values off the sphere give -Infinity, never NaN', () => {
    const d = make({ meanDirection: [1, 0], concentration: 1, validateArgs: false });
    const lp = d
      .logProb([
        [2, 0],
        [NaN, 0],
        [0, 1],
      ])
      .arraySync() as number[];
    expect(lp[0]).toBe(-Infinity);
    expect(lp[1]).toBe(-Infinity);
    expectFinite(lp[2]);
    d.dispose();
  });
}
