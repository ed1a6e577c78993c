module.exports = { ...require('../../jest.preset.cjs'), displayName: '@vae/mnist-vae' };
