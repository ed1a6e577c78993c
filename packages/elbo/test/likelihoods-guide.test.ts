// The example of docs/guides/likelihoods.md, copied verbatim (keep the two in sync), plus the checks
// that make it a test.
import * as tf from '@tensorflow/tfjs-core';
import nbinom from '@stdlib/stats-base-dists-negative-binomial';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectClose } from '@vae/testing';
import { zeroInflatedNegativeBinomialLikelihood } from '../src/index.js';

function runGuideExample() {
  // ---- copied from the guide
  const genes = 3;
  const logTheta = tf.variable(tf.zeros([genes])); // learned inverse dispersion, one per gene
  const counts = tf.tensor([
    [0, 4, 120],
    [2, 0, 95],
  ]); // [B = 2 cells, 3 genes]
  const logLikelihood = tf.tidy(() => {
    const logMean = tf.tensor([[[0.5, 1.2, 4.7]]]); // decoder output, [S = 1, B = 1 broadcast, genes]
    const gateLogits = tf.fill([1, 2, genes], -2); // decoder output, a 12% dropout
    const px = zeroInflatedNegativeBinomialLikelihood({ logMean, logInverseDispersion: logTheta, gateLogits });
    return px.logProb(counts); // [1, 2]: log p(x | z) per sample and cell
  });
  // ---- end of the copy
  return { logTheta, counts, logLikelihood };
}

const trimLines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');

describe('docs/guides/likelihoods.md', () => {
  it('holds the example verbatim', () => {
    const guide = readFileSync(join(__dirname, '../../../docs/guides/likelihoods.md'), 'utf8');
    const here = readFileSync(__filename, 'utf8');
    const copied = here.slice(here.indexOf('// ---- copied from the guide') + 30, here.indexOf('// ---- end of the copy'));
    expect(trimLines(guide)).toContain(trimLines(copied));
  });

  it('gives log p(x | z) per cell, equal to the ZINB mixture computed in float64', () => {
    const { logTheta, counts, logLikelihood } = runGuideExample();
    expect(logLikelihood.shape).toEqual([1, 2]);
    const mu = [0.5, 1.2, 4.7].map((v) => Math.exp(Math.fround(v)));
    const pi = 1 / (1 + Math.exp(2));
    const cell = (row: number[]) =>
      row.reduce((a, x, g) => {
        const nb = nbinom.logpmf(x, 1, 1 / (1 + mu[g]));
        return a + (x === 0 ? Math.log(pi + (1 - pi) * Math.exp(nb)) : Math.log(1 - pi) + nb);
      }, 0);
    expectClose(logLikelihood, [[cell([0, 4, 120]), cell([2, 0, 95])]], { rtol: 1e-5 });
    tf.dispose([logTheta, counts, logLikelihood]);
  });
});
