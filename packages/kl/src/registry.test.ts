import * as tf from '@tensorflow/tfjs-core';
import { Normal } from '@vae/distributions';
import { createKLRegistry, klDivergence } from './index.js';
import type { KLFunction } from './index.js';

// Toy hierarchies to exercise dispatch: A <- B <- C and Normal <- WideNormal.
class WideNormal extends Normal {}
class NarrowNormal extends WideNormal {}

const tagged =
  (value: number): KLFunction =>
  () =>
    tf.scalar(value);

describe('KLRegistry', () => {
  it('rejects a pair registered twice', () => {
    const registry = createKLRegistry([{ p: Normal, q: Normal, kl: tagged(1) }]);
    expect(() => registry.register(Normal, Normal, tagged(2))).toThrow('KL(Normal || Normal) is already registered');
    expect(() =>
      createKLRegistry([
        { p: Normal, q: Normal, kl: tagged(1) },
        { p: Normal, q: Normal, kl: tagged(2) },
      ]),
    ).toThrow(/already registered/);
  });

  it('walks both hierarchies and takes the nearest pair', () => {
    const registry = createKLRegistry([
      { p: Normal, q: Normal, kl: tagged(1) },
      { p: WideNormal, q: Normal, kl: tagged(2) },
    ]);
    expect(registry.lookup(Normal, Normal)!(null, null).dataSync()[0]).toBe(1);
    expect(registry.lookup(NarrowNormal, Normal)!(null, null).dataSync()[0]).toBe(2);
    expect(registry.lookup(NarrowNormal, NarrowNormal)!(null, null).dataSync()[0]).toBe(2);
    expect(registry.lookup(Normal, WideNormal)!(null, null).dataSync()[0]).toBe(1);
  });

  it('reports a tie with the candidates and how to break it; the exact pair breaks it', () => {
    const registry = createKLRegistry([
      { p: WideNormal, q: Normal, kl: tagged(1) },
      { p: Normal, q: WideNormal, kl: tagged(2) },
    ]);
    expect(() => registry.lookup(WideNormal, WideNormal)).toThrow(
      'KL(WideNormal || WideNormal) is ambiguous: registered pairs (WideNormal, Normal) and (Normal, WideNormal) are equally near. Break the tie with registry.register(WideNormal, WideNormal, fn).',
    );
    registry.register(WideNormal, WideNormal, tagged(3));
    expect(registry.lookup(NarrowNormal, WideNormal)!(null, null).dataSync()[0]).toBe(3);
  });

  it('memoizes lookups and forgets them on register', () => {
    const registry = createKLRegistry([{ p: Normal, q: Normal, kl: tagged(1) }]);
    const first = registry.lookup(NarrowNormal, Normal);
    expect(registry.lookup(NarrowNormal, Normal)).toBe(first);
    registry.register(NarrowNormal, Normal, tagged(5));
    expect(registry.lookup(NarrowNormal, Normal)).not.toBe(first);
    expect(registry.lookup(NarrowNormal, Normal)!(null, null).dataSync()[0]).toBe(5);
  });

  it('klDivergence names both families and lists related pairs when nothing applies', () => {
    class Other extends Normal {}
    const registry = createKLRegistry([{ p: WideNormal, q: WideNormal, kl: tagged(1) }]);
    const p = new Normal({ loc: 0, scale: 1 });
    const q = new Other({ loc: 0, scale: 1 });
    expect(() => klDivergence(p, q, { registry })).toThrow(
      "No analytic KL(Normal || Other) is registered. Pairs registered for Normal or Other: none. Pass { fallback: 'monteCarlo' } for an estimate, or register one with registry.register(Normal, Other, fn).",
    );
    registry.register(Normal, Normal, tagged(2));
    expect(() =>
      klDivergence(q, new WideNormal({ loc: 0, scale: 1 }), {
        registry: createKLRegistry([{ p: WideNormal, q: WideNormal, kl: tagged(1) }]),
      }),
    ).toThrow(/Pairs registered for Other or WideNormal: \(WideNormal, WideNormal\)/);
  });

  it('find applies a pair only where its condition holds; lookup (by class) ignores the condition', () => {
    const onlySameLoc = (p: Normal, q: Normal) => p.loc === q.loc;
    const registry = createKLRegistry([{ p: Normal, q: Normal, kl: tagged(7), when: onlySameLoc }]);
    const loc = tf.scalar(0);
    const a = new Normal({ loc, scale: 1 });
    const b = new Normal({ loc, scale: 2 });
    const c = new Normal({ loc: 0, scale: 2 });
    expect(registry.find(a, b)).toBeDefined();
    expect(registry.find(a, c)).toBeUndefined();
    expect(registry.lookup(Normal, Normal)).toBeDefined();
    expect(klDivergence(a, b, { registry }).dataSync()[0]).toBe(7);
    expect(() => klDivergence(a, c, { registry })).toThrow(/registered does not hold for these two/);
    const estimate = klDivergence(a, c, { registry, fallback: 'monteCarlo', numSamples: 16, seed: 0 });
    expect(estimate.dataSync()[0]).not.toBe(7);
    expect(() => createKLRegistry().register(Normal, Normal, tagged(1), 'always' as never)).toThrow(
      /takes two distribution classes and one or two functions/,
    );
    tf.dispose([loc, estimate]);
    c.dispose();
  });
});
