import { describePair } from '../../test/pair-suite.js';

for (const p of ['Normal', 'Laplace']) {
  for (const q of ['Exponential', 'Gamma', 'Beta', 'Uniform', 'ContinuousBernoulli']) describePair(`${p}||${q}`);
}
for (const p of ['Exponential', 'Gamma']) {
  for (const q of ['Beta', 'Uniform', 'ContinuousBernoulli']) describePair(`${p}||${q}`);
}
