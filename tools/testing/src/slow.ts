/**
 * Whether the long statistical checks run: `VAE_SLOW_TESTS=1` (CI's `.ci/run` sets it; the
 * README's `npm test` leaves them out so it stays within its time budget).
 */
export const SLOW_TESTS = process.env.VAE_SLOW_TESTS === '1';

/**
 * `it` for a long statistical check (many Monte Carlo draws, sweeps over many parameters): runs
 * under `VAE_SLOW_TESTS=1`, and is reported as skipped otherwise, so a count says what was left out.
 *
 * @param name - the test's name
 * @param fn - the test
 * @param timeout - its timeout in milliseconds (optional)
 */
export function itSlow(name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  (SLOW_TESTS ? it : it.skip)(`${name} [slow]`, fn, timeout);
}
