import { SLOW_TESTS, itSlow } from './slow.js';

let ran = false;
itSlow('runs only when VAE_SLOW_TESTS=1', () => {
  ran = true;
});

it('follows VAE_SLOW_TESTS', () => {
  expect(SLOW_TESTS).toBe(process.env.VAE_SLOW_TESTS === '1');
  // Tests run in order within a file: the slow one above has run by now exactly when enabled.
  expect(ran).toBe(SLOW_TESTS);
});
