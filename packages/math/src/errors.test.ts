import { InvalidArgumentError } from './errors.js';

describe('InvalidArgumentError', () => {
  it('names the context, the argument and the constraint, then the detail', () => {
    const error = new InvalidArgumentError('scale', 'positive (> 0)', 'got -1 at index [2]', 'Normal');
    expect(error.message).toBe('Normal: scale must be positive (> 0); got -1 at index [2]');
    expect(error.name).toBe('InvalidArgumentError');
    expect(error.argument).toBe('scale');
    expect(error.constraint).toBe('positive (> 0)');
  });

  it('leaves out the context and the detail when they are not given', () => {
    expect(new InvalidArgumentError('order', 'non-negative (>= 0)').message).toBe('order must be non-negative (>= 0)');
    expect(new InvalidArgumentError('order', 'an integer', undefined, 'f').message).toBe('f: order must be an integer');
  });

  it('is an Error, so callers may catch either', () => {
    const error = new InvalidArgumentError('x', 'finite');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(() => {
      throw error;
    }).toThrow(InvalidArgumentError);
  });
});
