import { fixtureNumber } from './fixture-number.js';

describe('fixtureNumber', () => {
  it("decodes the generators' strings and null, and passes numbers through", () => {
    expect(fixtureNumber('inf')).toBe(Infinity);
    expect(fixtureNumber('-inf')).toBe(-Infinity);
    expect(fixtureNumber('nan')).toBeNaN();
    expect(fixtureNumber(null)).toBeNaN();
    expect(fixtureNumber(-2.5e-300)).toBe(-2.5e-300);
  });
});
