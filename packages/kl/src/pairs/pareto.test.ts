// Pareto->Exponential, Pareto->Gamma, Pareto->Normal and Uniform->Pareto against torch float64
// (test/fixtures/kl_pareto.json, made by generate_kl_pareto.py, cross-checked there by quadrature):
// values (+Infinity where torch gives it), gradients against float64 finite differences, a seeded
// Monte Carlo estimate, memory neutrality.
import { describePair } from '../../test/pair-suite.js';

const fixture = 'kl_pareto.json';
// The Monte Carlo cases have alpha large enough for log p - log q to have a finite variance.
describePair('Pareto||Exponential', { rtol: 1e-5, fixture, monteCarloCases: [1] });
describePair('Pareto||Gamma', { rtol: 1e-5, fixture, monteCarloCases: [1] });
describePair('Pareto||Normal', { rtol: 1e-5, fixture, monteCarloCases: [1] });
describePair('Uniform||Pareto', { rtol: 1e-5, fixture });
