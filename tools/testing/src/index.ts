export { compareClose, expectClose, expectFinite, toFlatArray } from './close.js';
export type { CloseOptions, CloseReport, Numeric } from './close.js';
export { expectMemoryNeutral } from './memory.js';
export {
  expectKSPass,
  expectWithinStandardErrors,
  kolmogorovSurvival,
  ksTest,
  summarize,
  varianceStandardError,
} from './monte-carlo.js';
export type { KSResult, SampleSummary } from './monte-carlo.js';
export { derivative64, gradient64 } from './finite-difference.js';
export { extractExamples, instrumentLogs, runExample, testExamples } from './examples.js';
export type { DocExample, RunExampleOptions } from './examples.js';
export { loggedComment, mismatch, parseExpected } from './doctest.js';
export type { Expected } from './doctest.js';
export { BACKENDS_WITH_SUBNORMALS, honoursSubnormals, itWithSubnormals, runOnBackends, testBackend } from './backends.js';
export { SLOW_TESTS, itSlow } from './slow.js';
export { countReadBacks } from './read-backs.js';
export { fixtureNumber } from './fixture-number.js';
export type { FixtureNumber } from './fixture-number.js';
