import { expectClose } from '@vae/testing';
import { constantSchedule, cyclicalSchedule, linearWarmup, sigmoidSchedule } from './index.js';
import type { KLScheduleEndpoints } from './index.js';

describe('KL weight schedules', () => {
  it('constantSchedule', () => {
    const beta = constantSchedule(0.25);
    expect([0, 1, 1e6].map(beta)).toEqual([0.25, 0.25, 0.25]);
    expect(constantSchedule()(7)).toBe(1);
  });

  it('linearWarmup: start + (end - start) min(t / T, 1)', () => {
    const beta = linearWarmup({ warmupSteps: 200, start: 0.1, end: 0.9 });
    const steps = [0, 1, 50, 199, 200, 10000];
    expectClose(
      steps.map(beta),
      steps.map((t) => 0.1 + 0.8 * Math.min(t / 200, 1)),
      { rtol: 1e-15 },
    );
    expect(linearWarmup({ warmupSteps: 4 })(2)).toBe(0.5);
  });

  it('sigmoidSchedule: the logistic curve, 1/2 at the midpoint', () => {
    const beta = sigmoidSchedule({ midpoint: 500, steepness: 0.02 });
    const steps = [0, 250, 500, 750, 5000];
    expectClose(
      steps.map(beta),
      steps.map((t) => 1 / (1 + Math.exp(-0.02 * (t - 500)))),
      { rtol: 1e-15 },
    );
    expect(beta(500)).toBe(0.5);
    // Monotone increasing.
    for (let t = 1; t < 1000; t += 37) expect(beta(t)).toBeGreaterThan(beta(t - 1));
  });

  it('cyclicalSchedule (Fu et al. 2019): M cycles, linear over the first R of each, then 1', () => {
    const T = 1000;
    const M = 4;
    const R = 0.5;
    const beta = cyclicalSchedule({ totalSteps: T, numCycles: M, ratio: R });
    // Closed form with the period P = T / M = 250: tau = (t mod P) / P.
    const closed = (t: number) => {
      const tau = (t % 250) / 250;
      return tau < R ? tau / R : 1;
    };
    const steps = [0, 1, 62, 124, 125, 249, 250, 251, 375, 500, 999];
    expectClose(steps.map(beta), steps.map(closed), { rtol: 1e-15, atol: 1e-15 });
    expect(beta(250)).toBe(0); // each cycle restarts at 0
    expect(beta(1000)).toBe(1); // after training: the final level
    expect(cyclicalSchedule({ totalSteps: 10, numCycles: 1, ratio: 1 })(5)).toBe(0.5);
    const scaled = cyclicalSchedule({ totalSteps: 100, numCycles: 2, ratio: 0.25, start: 0.2, end: 0.6 });
    expectClose([0, 6.25, 12.5, 40, 50].map(scaled), [0.2, 0.4, 0.6, 0.6, 0.2], { rtol: 1e-12 });
  });

  it('rejects bad parameters and steps, naming them', () => {
    expect(() => linearWarmup({ warmupSteps: 0 })).toThrow(/warmupSteps must be an integer >= 1; got 0/);
    expect(() => sigmoidSchedule({ midpoint: 10, steepness: -1 })).toThrow(/steepness must be > 0/);
    expect(() => cyclicalSchedule({ totalSteps: 100, ratio: 0 })).toThrow(/ratio must be in \(0, 1\]/);
    expect(() => cyclicalSchedule({ totalSteps: 100, numCycles: 1.5 })).toThrow(/numCycles/);
    expect(() => constantSchedule(NaN)).toThrow(/value must be a finite number/);
    expect(() => linearWarmup({ warmupSteps: 10 })(-1)).toThrow(/step must be a finite number >= 0/);
  });

  describe('the annealing schedules share their endpoints (KLScheduleEndpoints)', () => {
    const ends: KLScheduleEndpoints = { start: 0.25, end: 2 };
    // Each schedule at its first step and at a step long after its rise, with the same endpoints.
    const cases = [
      { name: 'linearWarmup', make: (e: KLScheduleEndpoints) => linearWarmup({ warmupSteps: 10, ...e }), first: 0, late: 10 },
      {
        name: 'sigmoidSchedule',
        make: (e: KLScheduleEndpoints) => sigmoidSchedule({ midpoint: 500, steepness: 0.1, ...e }),
        first: 0,
        late: 1000,
      },
      { name: 'cyclicalSchedule', make: (e: KLScheduleEndpoints) => cyclicalSchedule({ totalSteps: 100, ...e }), first: 0, late: 20 },
    ];

    it.each(cases)('$name starts at start and reaches end', ({ make, first, late }) => {
      const beta = make(ends);
      expectClose(beta(first), ends.start!, { rtol: 1e-6 });
      expectClose(beta(late), ends.end!, { rtol: 1e-6 });
      expect(make({})(late)).toBeCloseTo(1, 6);
    });

    it.each(cases)('$name names a non-finite start or end', ({ name, make }) => {
      expect(() => make({ start: NaN })).toThrow(`${name}: start must be a finite number; got NaN`);
      expect(() => make({ end: Infinity })).toThrow(`${name}: end must be a finite number; got Infinity`);
    });
  });
});
