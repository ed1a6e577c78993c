import { describePair } from '../../test/pair-suite.js';

describePair('Kumaraswamy||Beta', { rtol: 1e-5, monteCarloCases: [1, 2, 6] });
// Wide ranges (a, b, alpha, beta in 10^[-2.5, 2.5]), the a b >~ 8 cases, and KL = 0 cases
// (Kumaraswamy(1, b) = Beta(1, b), Kumaraswamy(a, 1) = Beta(a, 1)): fixtures/kumaraswamy_beta.json.
// atol: the nearly-equal cases (KL ~ 1e-7) sum O(1) terms (log(a b), log B(alpha, beta), ...), each
// rounded to ~6e-8 in float32 (measured worst absolute error 9.6e-8; 3.6e-7 at KL = 0, within the suite's 1e-6).
describePair('Kumaraswamy||Beta', { fixture: 'kumaraswamy_beta.json', rtol: 1e-5, atol: 2e-7, monteCarloCases: [0, 48, 49, 51] });
