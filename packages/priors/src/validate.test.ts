import { checkInteger, checkPositive, checkSeed } from './validate.js';

describe('argument checks', () => {
  it('accept good values and name the argument, the constraint and the value otherwise', () => {
    expect(() => checkInteger(3, 'latentDim', 1, 'P')).not.toThrow();
    expect(() => checkInteger(0, 'latentDim', 1, 'P')).toThrow('P: latentDim must be an integer >= 1; got 0');
    expect(() => checkInteger(2.5, 'numComponents', 1, 'P')).toThrow('P: numComponents must be an integer >= 1; got 2.5');
    expect(() => checkPositive(0.1, 'initScale', 'P')).not.toThrow();
    for (const bad of [0, -1, Infinity, NaN])
      expect(() => checkPositive(bad, 'initScale', 'P')).toThrow(`P: initScale must be a finite number > 0; got ${bad}`);
    expect(() => checkPositive('1' as never, 'initScale', 'P')).toThrow(/got 1$/);
    expect(() => checkSeed(undefined, 'P')).not.toThrow();
    expect(() => checkSeed(0, 'P')).not.toThrow();
    expect(() => checkSeed(1.5, 'P')).toThrow('P: seed must be an integer; got 1.5');
  });
});
