import * as tf from '@tensorflow/tfjs-core';
import { countReadBacks, expectMemoryNeutral } from '@vae/testing';
import * as distributions from './index.js';
import {
  Beta,
  Categorical,
  Dirichlet,
  Distribution,
  Gamma,
  Kumaraswamy,
  Laplace,
  LogNormal,
  Logistic,
  Normal,
  PowerSpherical,
  RelaxedBernoulli,
  RelaxedOneHotCategorical,
  familyName,
} from './index.js';
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
    const makers: [string, (validateArgs: boolean) => Distribution][] = [
      ['Laplace', (validateArgs) => new Laplace({ loc: 0, scale: [1, 2], validateArgs })],
      ['Logistic', (validateArgs) => new Logistic({ loc: 0, scale: [1, 2], validateArgs })],
      ['LogNormal', (validateArgs) => new LogNormal({ loc: 0, scale: [1, 2], validateArgs })],
      ['Gamma', (validateArgs) => new Gamma({ concentration: [1, 2], rate: 1, validateArgs })],
      ['Beta', (validateArgs) => new Beta({ concentration1: [1, 2], concentration0: 1, validateArgs })],
      ['Kumaraswamy', (validateArgs) => new Kumaraswamy({ concentration1: [1, 2], concentration0: 1, validateArgs })],
      ['Dirichlet', (validateArgs) => new Dirichlet({ concentration: [1, 2], validateArgs })],
      ['Categorical', (validateArgs) => new Categorical({ logits: [0, 1], validateArgs })],
      ['RelaxedBernoulli', (validateArgs) => new RelaxedBernoulli({ temperature: 0.5, logits: [0, 1], validateArgs })],
      ['RelaxedOneHotCategorical', (validateArgs) => new RelaxedOneHotCategorical({ temperature: 0.5, logits: [0, 1], validateArgs })],
      ['PowerSpherical', (validateArgs) => new PowerSpherical({ meanDirection: [0, 1], concentration: 2, validateArgs })],
    ];
    const deviceOnly = ['Laplace', 'Logistic', 'LogNormal', 'Kumaraswamy', 'RelaxedBernoulli'];
    for (const [name, make] of makers) {
      const [checked, unchecked] = [make(true), make(false)];
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
