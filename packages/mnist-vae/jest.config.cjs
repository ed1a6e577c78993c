// The reference model's tests train, decode grids and integrate over the latent plane: on wasm
// (the `vae` command's backend) they take seconds, on the cpu backend minutes. A run that names a
// backend (VAE_TEST_BACKEND=cpu) still gets it.
process.env.VAE_TEST_BACKEND ??= 'wasm';
module.exports = { ...require('../../jest.preset.cjs'), displayName: '@vae/mnist-vae' };
