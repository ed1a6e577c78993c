import * as tf from '@tensorflow/tfjs-core';
import { countReadBacks, expectMemoryNeutral } from '@vae/testing';
import * as distributions from './index.js';
import { Bernoulli, Categorical, Distribution, Normal, familyName } from './index.js';
import type { NormalParams } from './index.js';

describe('familyName', () => {
  it('every exported family spells out its own name, equal to its export name', () => {
    const families = Object.entries(distributions).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof Distribution,
    );
    expect(families.length).toBeGreaterThan(20);
    for (const [exported, cls] of families) {
      // The name is spelled out on the class or on the base `family(name, ...)` built for it.
      const owner = Object.prototype.hasOwnProperty.call(cls, 'familyName') ? cls : Object.getPrototypeOf(cls);
      expect(Object.prototype.hasOwnProperty.call(owner, 'familyName')).toBe(true);
      expect(familyName(cls)).toBe(exported);
    }
  });

  it('messages keep the family name when a minifier renames the class', () => {
    class Renamed extends Normal {
      static override readonly familyName: string = 'Renamed';
    }
    Object.defineProperty(Renamed, 'name', { value: 't' });
    expect(Renamed.name).toBe('t');
    expect(() => new Renamed({ loc: 0, scale: -1 })).toThrow(/Renamed/);
    expect(new Renamed({ loc: 0, scale: 1 }).name).toBe('Renamed');
  });

  it("a user's subclass that sets no familyName is called by its own class name, not its parent's", () => {
    class MyNormal extends Normal {}
    expect(new MyNormal({ loc: 0, scale: 1 }).name).toBe('MyNormal');
    expect(familyName(MyNormal)).toBe('MyNormal');
    expect(familyName(undefined)).toBe('undefined');
  });
});

describe('parameters declared as data', () => {
  it('with validateArgs off nothing is read back to the host: not at construction, not by rsample or logProb', () => {
    const loc = tf.tensor([0, 1]);
    const scale = tf.tensor([1, 2]);
    const reads = countReadBacks(() => {
      const d = new Normal({ loc, scale, validateArgs: false });
      tf.dispose([d.rsample([4], 1), d.sample([4], 2), d.logProb(loc), d.entropy()]);
      d.dispose();
    });
    expect(reads).toBe(0);
    tf.dispose([loc, scale]);
  });

  it('with validateArgs on, each parameter is read back once, at construction, and rsample reads nothing', () => {
    const d = new Normal({ loc: [0, 1], scale: [1, 2] });
    expect(countReadBacks(() => new Normal({ loc: [0, 1], scale: [1, 2] }).dispose())).toBe(2);
    expect(countReadBacks(() => tf.dispose([d.rsample([4], 1), d.rsample([], 3)]))).toBe(0);
    d.dispose();
  });

  it('no family re-validates its parameters when sampling: validateArgs changes no read-back count', () => {
    // A batch of two of each family; the deviceOnly ones sample with no read-back at all.
    const parameters: Partial<Record<keyof typeof distributions, object>> = {
      Laplace: { loc: 0, scale: [1, 2] },
      Logistic: { loc: 0, scale: [1, 2] },
      LogNormal: { loc: 0, scale: [1, 2] },
      Gamma: { concentration: [1, 2], rate: 1 },
      Beta: { concentration1: [1, 2], concentration0: 1 },
      Kumaraswamy: { concentration1: [1, 2], concentration0: 1 },
      Dirichlet: { concentration: [1, 2] },
      Categorical: { logits: [0, 1] },
      RelaxedBernoulli: { temperature: 0.5, logits: [0, 1] },
      RelaxedOneHotCategorical: { temperature: 0.5, logits: [0, 1] },
      PowerSpherical: { meanDirection: [0, 1], concentration: 2 },
    };
    const deviceOnly = ['Laplace', 'Logistic', 'LogNormal', 'Kumaraswamy', 'RelaxedBernoulli'];
    for (const [name, params] of Object.entries(parameters)) {
      const family = distributions[name as keyof typeof distributions] as unknown as new (params: object) => Distribution;
      const [checked, unchecked] = [new family({ ...params, validateArgs: true }), new family({ ...params, validateArgs: false })];
      tf.dispose(checked.sample([3], 1)); // first calls may read once for the backend's own set-up
      const reads = [checked, unchecked].map((d) => countReadBacks(() => tf.dispose([d.sample([3], 1), d.sample([2], 2)])));
      if (reads[0] !== reads[1]) throw new Error(`${name}.sample read back ${reads[0]} times validating, ${reads[1]} times not`);
      if (deviceOnly.includes(name)) expect(reads[0]).toBe(0);
      checked.dispose();
      unchecked.dispose();
    }
  });

  it('converts, owns, validates (naming the family, parameter and constraint) and broadcasts', async () => {
    expect(() => new Normal({ loc: [0, 1], scale: [1, 0] })).toThrow('Normal: scale must be positive (> 0) and finite; got 0 at index [1]');
    expect(() => new Normal({ loc: [0, 1, 2], scale: [1, 2] })).toThrow(/Normal.*loc.*scale/);
    expect(() => new Normal({ loc: 0 } as unknown as NormalParams)).toThrow('Normal: scale must be given; it is missing');
    const d = new Normal({ loc: [[0], [1]], scale: [1, 2, 3] });
    expect(d.batchShape).toEqual([2, 3]);
    expect(d.loc.shape).toEqual([2, 1]);
    d.dispose();
    await expectMemoryNeutral(() => new Normal({ loc: [0, 1], scale: 2 }).dispose(), 'construct and dispose');
    const given = tf.tensor([1, 2]);
    const mine = new Normal({ loc: 0, scale: given });
    mine.dispose();
    expect(given.isDisposed).toBe(false);
    given.dispose();
  });
});

describe('icdf', () => {
  it('a family without a quantile function says so; the probability is validated first', () => {
    const d = new distributions.Gamma({ concentration: 2, rate: 1 });
    expect(() => d.icdf(0.5)).toThrow('Gamma does not define icdf()');
    expect(() => d.icdf(1.5)).toThrow('Gamma: probability must be in [0, 1]; got 1.5');
    expect(() => d.icdf([0.1, 0.2])).toThrow('Gamma does not define icdf()'); // a batch of [] broadcasts with any shape
    d.dispose();
    const batch = new Normal({ loc: [0, 1, 2], scale: 1 });
    expect(() => batch.icdf([0.1, 0.2])).toThrow(/Normal: probability and batchShape must be broadcast-compatible/);
    batch.dispose();
  });
});

describe('sampleAndLogProb', () => {
  it('not reparameterized: the draw of sample(), scored by logProb, with the score-function gradient only', () => {
    const logits = tf.tensor([-1, 0.5, 2]);
    const d = new Bernoulli({ logits });
    const { sample, logProb } = d.sampleAndLogProb([4], 3);
    expect(sample.shape).toEqual([4, 3]);
    expect(logProb.shape).toEqual([4, 3]);
    const drawn = d.sample([4], 3);
    expect(sample.arraySync()).toEqual(drawn.arraySync());
    expect(logProb.arraySync()).toEqual(d.logProb(drawn).arraySync());
    // d/dl log p(x) = x - sigmoid(l): the gradient reaches the parameters through log p alone.
    const g = tf.grad((l: tf.Tensor) => tf.sum(new Bernoulli({ logits: l }).sampleAndLogProb([4], 3).logProb))(logits);
    const x = drawn.arraySync() as number[][];
    const expected = [-1, 0.5, 2].map((l, j) => x.reduce((acc, row) => acc + row[j] - 1 / (1 + Math.exp(-l)), 0));
    expect(g.arraySync() as number[]).toEqual(expected.map((v) => expect.closeTo(v, 5)));
    expect(() => d.sampleAndLogProb([2], 0, { reparameterize: true })).toThrow(
      'Bernoulli: reparameterize must be false: the family is not reparameterized; got true',
    );
    tf.dispose([logits, sample, logProb, drawn, g]);
    d.dispose();
  });

  it('reparameterized: the gradient flows through the sample by default, and only through log q with reparameterize false', () => {
    const loc = tf.scalar(0.5);
    const scale = 2;
    const sumOf = (reparameterize: boolean | undefined, which: 'sample' | 'logProb') =>
      // + 0 * loc: a sample drawn off the tape has no path to loc at all, which tf.grad rejects.
      tf.grad((m: tf.Tensor) =>
        tf.add(tf.sum(new Normal({ loc: m, scale }).sampleAndLogProb([5], 1, { reparameterize })[which]), tf.mul(m, 0)),
      )(loc);
    const z = new Normal({ loc, scale }).sample([5], 1);
    expect(sumOf(undefined, 'sample').arraySync()).toBeCloseTo(5, 6); // dz/dloc = 1 per draw
    expect(sumOf(false, 'sample').arraySync()).toBe(0);
    // Off the path, d/dloc log q(z) = (z - loc) / scale^2 at the fixed draw; on it, z - loc does not move.
    const score = (z.arraySync() as number[]).reduce((acc, v) => acc + (v - 0.5) / scale ** 2, 0);
    expect(sumOf(false, 'logProb').arraySync()).toBeCloseTo(score, 5);
    expect(sumOf(true, 'logProb').arraySync()).toBeCloseTo(0, 6);
    expect(() => new Normal({ loc: 0, scale: 1 }).sampleAndLogProb([], 0, { reparameterize: 1 as unknown as boolean })).toThrow(
      'Normal: reparameterize must be true or false; got 1',
    );
    tf.dispose([loc, z]);
  });

  it('scores its own draw without reading it back to the host, even with validateArgs on, memory-neutrally', async () => {
    const families: Distribution[] = [
      new Normal({ loc: [0, 1], scale: 2 }),
      new Bernoulli({ probs: [0.2, 0.9] }),
      new Categorical({ logits: [0, 1, 2] }),
    ];
    for (const d of families) {
      tf.dispose(d.sampleAndLogProb([3], 1)); // first calls may read once for the backend's own set-up
      expect(countReadBacks(() => tf.dispose(d.sampleAndLogProb([3], 1)))).toBe(0);
      if (d.reparameterized) expect(countReadBacks(() => tf.dispose(d.rsampleAndLogProb([3], 1)))).toBe(0);
      await expectMemoryNeutral(() => d.sampleAndLogProb([2], 5), `${d.name}.sampleAndLogProb`);
    }
    // Categorical draws int32 indices; their log mass is that of logProb.
    const { sample, logProb } = families[2].sampleAndLogProb([4], 3);
    expect(sample.dtype).toBe('int32');
    expect(logProb.arraySync()).toEqual(families[2].logProb(sample).arraySync());
    tf.dispose([sample, logProb]);
    for (const d of families) d.dispose();
  });

  it('every sampling method reads a sample shape the same way', () => {
    const d = new Normal({ loc: [0, 1], scale: 1 });
    const draws: [string, (shape: number | number[]) => tf.Tensor][] = [
      ['sample', (shape) => d.sample(shape, 1)],
      ['rsample', (shape) => d.rsample(shape, 1)],
      ['rsampleAndLogProb', (shape) => d.rsampleAndLogProb(shape, 1).sample],
      ['sampleAndLogProb', (shape) => d.sampleAndLogProb(shape, 1).sample],
      ['sampleAndLogProb off the path', (shape) => d.sampleAndLogProb(shape, 1, { reparameterize: false }).sample],
    ];
    for (const [name, draw] of draws) {
      for (const [shape, expected] of [
        [3, [3, 2]],
        [[], [2]],
        [
          [2, 3],
          [2, 3, 2],
        ],
        [[0], [0, 2]],
      ] as [number | number[], number[]][]) {
        const out = tf.tidy(() => draw(shape));
        if (JSON.stringify(out.shape) !== JSON.stringify(expected))
          throw new Error(`${name}(${JSON.stringify(shape)}) has shape [${out.shape}]`);
        out.dispose();
      }
      expect(() => draw([1.5])).toThrow('Normal: sampleShape must be a list of non-negative integers; got [1.5]');
    }
    const { logProb } = d.rsampleAndLogProb([2, 3], 1);
    expect(logProb.shape).toEqual([2, 3, 2]);
    logProb.dispose();
    d.dispose();
  });
});
