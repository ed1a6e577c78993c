// The public surface of @vae/distributions: every export is named here and nowhere else.
export { Distribution } from './distribution.js';
export type { DistributionOptions, SampleShape } from './distribution.js';
export { assertConstraint, constraints } from './constraints.js';
export type { Constraint } from './constraints.js';
export { Normal } from './normal.js';
export type { NormalParams } from './normal.js';
