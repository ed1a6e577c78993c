import { instrumentLogs, runExample } from './examples.js';
import { loggedComment, mismatch, parseExpected } from './doctest.js';

const check = (actual: unknown, comment: string) => mismatch(actual, parseExpected(comment, 1)[0]);

describe('parseExpected and mismatch', () => {
  it('compares numbers to the printed precision', () => {
    expect(check(0.6931471805599453, '0.6931')).toBeUndefined();
    expect(check(0.6932, '0.6931')).toBeUndefined(); // one unit of the last digit
    expect(check(0.6933, '0.6931')).toMatch(/expected 0.6931/);
    expect(check(1.8e-35, '1.8e-35')).toBeUndefined();
    expect(check(2.0e-35, '1.8e-35')).toMatch(/expected/);
    expect(check(4.0000001, '4')).toBeUndefined();
    expect(check(4.01, '4')).toMatch(/expected 4/);
    expect(check(-Infinity, '-Infinity')).toBeUndefined();
    expect(check(Infinity, '-Infinity')).toMatch(/expected -Infinity/);
    expect(check(NaN, 'NaN')).toBeUndefined();
  });

  it('reads ~ as within 5%', () => {
    expect(check(0.99, '~1')).toBeUndefined();
    expect(check(0.9, '~1')).toMatch(/within/);
  });

  it('compares arrays (typed ones too) and objects structurally', () => {
    expect(check([3, 2], '[3, 2]')).toBeUndefined();
    expect(check(new Float32Array([0.5, 1]), '[0.5, 1]')).toBeUndefined();
    expect(check([[1, 0.5]], '[[1, 0.5], [0.5, 4]]')).toMatch(/expected 2 items/);
    expect(check([[1, 0.7]], '[[1, 0.5]]')).toMatch(/at \[0\]\[1\]/);
    expect(check({ count: 2, source: 'env' }, "{ count: 2, source: 'env' }")).toBeUndefined();
    expect(check({ count: 2 }, "{ count: 2, source: 'env' }")).toMatch(/keys/);
  });

  it('matches strings exactly, bare or quoted, with ... as a wildcard inside quotes', () => {
    expect(check('cpu', 'cpu')).toBeUndefined();
    expect(check('cpu backend', "'cpu backend' (a note)")).toBeUndefined();
    expect(check('wasm', 'cpu')).toMatch(/expected 'cpu'/);
    expect(check('a: not found (details)', "'a: not found...'")).toBeUndefined();
    expect(check('b: not found', "'a: not found...'")).toMatch(/matching/);
    expect(check(9, "'9'")).toMatch(/expected the string/);
    expect(check(true, 'true: deterministic')).toBeUndefined();
    expect(check(undefined, 'undefined')).toBeUndefined();
  });

  it('reads one value per argument and leaves the note alone', () => {
    expect(parseExpected('[4, 2] [4] = shapes', 2).map((e) => e.kind)).toEqual(['array', 'array']);
    expect(parseExpected("cpu, 'why'", 2).map((e) => e.kind)).toEqual(['string', 'string']);
    expect(() => parseExpected('= 0.5', 1)).toThrow(/cannot read the expected value/);
  });
});

describe('loggedComment and instrumentLogs', () => {
  it('finds the comment after the closing parenthesis, not inside strings', () => {
    expect(loggedComment("console.log(f(')//'), g()); // 2 3")).toEqual({ start: 0, comment: '2 3' });
    expect(loggedComment('console.log(x);')).toEqual({ start: 0, comment: undefined });
    expect(loggedComment('const y = 1; // not a log')).toBeUndefined();
  });

  it('rewrites only the commented logs', () => {
    const { code, expectations } = instrumentLogs('console.log(a); // 1\nconsole.log(b);');
    expect(code).toBe('__log(0, a); // 1\nconsole.log(b);');
    expect(expectations).toEqual([{ line: 0, comment: '1' }]);
  });
});

describe('runExample', () => {
  const example = (code: string) => ({ file: 'x.ts', line: 1, codeLine: 10, symbol: 'x', code });

  it('passes when the output matches and fails, naming the line, when it does not', async () => {
    await expect(runExample(example('console.log(1 + 1); // 2'), require)).resolves.toBeUndefined();
    await expect(runExample(example('const a = 1;\nconsole.log(a + 1); // 3'), require)).rejects.toThrow(/x\.ts:11: .*expected 3/);
  });

  it('fails when a commented log never runs', async () => {
    await expect(runExample(example('if (false) console.log(1); // 1'), require)).rejects.toThrow(/never ran/);
  });

  it('fails on a leak, unless asked to free it, and frees it either way', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const before = tf.memory().numTensors;
    const code = "import * as tf from '@tensorflow/tfjs-core';\ntf.scalar(1);";
    await expect(runExample(example(code), require)).rejects.toThrow(/leaves 1 tensor/);
    await expect(runExample(example(code), require, { leaks: 'free' })).resolves.toBeUndefined();
    await expect(
      runExample(example(`import * as tf from '@tensorflow/tfjs-core';\ntf.tidy(() => {\n  tf.scalar(1);\n});`), require),
    ).resolves.toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
  });
});
