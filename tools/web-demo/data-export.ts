// Node side of the demo's build: the embedded digits with `vae train`'s split.
export { loadEmbeddedMnist } from '../../packages/mnist-vae/src/data.js';
