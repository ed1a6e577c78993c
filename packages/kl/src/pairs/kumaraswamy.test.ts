import { describePair } from '../../test/pair-suite.js';

describePair('Kumaraswamy||Beta', { rtol: 1e-4, monteCarloCases: [1, 2, 6] });
