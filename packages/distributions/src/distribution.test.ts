import * as distributions from './index.js';
import { Distribution, Normal, familyName } from './index.js';

describe('familyName', () => {
  it('every exported family spells out its own name, equal to its export name', () => {
    const families = Object.entries(distributions).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof Distribution,
    );
    expect(families.length).toBeGreaterThan(20);
    for (const [exported, cls] of families) {
      expect(Object.prototype.hasOwnProperty.call(cls, 'familyName')).toBe(true);
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
