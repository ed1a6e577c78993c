import { Dirichlet } from '@vae/distributions';
import { describePair } from '../../test/pair-suite.js';
import { klDivergence } from '../index.js';

describePair('Dirichlet||Dirichlet', { rtol: 1e-5, nearRtol: 5e-6 });

it('KL(Dirichlet || Dirichlet) refuses simplices of different sizes', () => {
  expect(() => klDivergence(new Dirichlet({ concentration: [1, 1] }), new Dirichlet({ concentration: [1, 1, 1] }))).toThrow(/same event shape/);
});
