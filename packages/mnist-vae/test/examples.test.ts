// Runs every @example in the package's TSDoc, so the documentation cannot drift from the code.
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { extractExamples, runExample } from '@vae/testing';

const examples = extractExamples(join(__dirname, '../src'));

it('finds examples', () => {
  expect(examples.length).toBeGreaterThan(0);
});

it.each(examples.map((e) => [`${e.file}:${e.line} (${e.symbol})`, e] as const))('%s runs without leaking', async (_name, example) => {
  const before = tf.memory().numTensors;
  await runExample(example, require);
  expect(tf.memory().numTensors - before).toBe(0);
});
