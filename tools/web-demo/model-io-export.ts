// Node side of the demo's test: the model directory format as `vae train` writes and reads it.
export { loadModel, saveModel } from '../../packages/mnist-vae/src/checkpoint.js';
export { MnistVae } from '../../packages/mnist-vae/src/model.js';
