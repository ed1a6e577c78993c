import * as tf from '@tensorflow/tfjs-core';

/** Anything the closeness helpers accept: a tensor, a number, or a (nested) array of numbers. */
export type Numeric = tf.Tensor | number | ArrayLike<number> | number[][] | number[][][];

/** Options for {@link expectClose}. */
export interface CloseOptions {
  /** Relative tolerance: |a - e| <= atol + rtol * |e|. */
  rtol?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Names the quantity in the failure message. */
  label?: string;
  /** Compare shapes too (default true when both are tensors). */
  checkShape?: boolean;
}

/** The worst element of a comparison, as reported by {@link compareClose}. */
export interface CloseReport {
  ok: boolean;
  /** Flat index of the element with the largest excess over its tolerance. */
  worstIndex: number;
  worstActual: number;
  worstExpected: number;
  /** |actual - expected| at the worst element. */
  worstAbsoluteError: number;
  /** |actual - expected| / |expected| at the worst element (Infinity when expected is 0). */
  worstRelativeError: number;
  /** Largest relative error over elements whose expected magnitude exceeds atol. */
  maxRelativeError: number;
  count: number;
}

/** Flattens a tensor, number or nested array into a plain array of numbers. */
export function toFlatArray(value: Numeric): number[] {
  if (value instanceof tf.Tensor) return Array.from(value.dataSync() as ArrayLike<number>);
  if (typeof value === 'number') return [value];
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'number') out.push(v);
    else if (Array.isArray(v) || ArrayBuffer.isView(v)) for (const item of Array.from(v as ArrayLike<unknown>)) walk(item);
    else throw new Error(`not a number: ${String(v)}`);
  };
  walk(value);
  return out;
}

/** Compares two numeric values element by element (expected broadcasts when it has one element). */
export function compareClose(actual: Numeric, expected: Numeric, options: CloseOptions = {}): CloseReport {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-6;
  const a = toFlatArray(actual);
  let e = toFlatArray(expected);
  if (e.length === 1 && a.length !== 1) e = new Array(a.length).fill(e[0]);
  if (a.length !== e.length) throw new Error(`${options.label ?? 'value'}: ${a.length} elements, expected ${e.length}`);
  let worst = -1;
  let worstExcess = -Infinity;
  let maxRel = 0;
  let ok = true;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i];
    const ei = e[i];
    let excess: number;
    if (Number.isNaN(ei) && Number.isNaN(ai)) excess = -Infinity;
    else if (ai === ei)
      excess = -Infinity; // also equal infinities
    else if (!Number.isFinite(ai) || !Number.isFinite(ei)) excess = Infinity;
    else {
      const err = Math.abs(ai - ei);
      excess = err - (atol + rtol * Math.abs(ei));
      if (Math.abs(ei) > atol) maxRel = Math.max(maxRel, err / Math.abs(ei));
    }
    if (Number.isNaN(excess)) excess = Infinity;
    if (excess > 0) ok = false;
    if (excess > worstExcess || worst < 0) {
      worstExcess = excess;
      worst = i;
    }
  }
  const wa = a[worst] ?? NaN;
  const we = e[worst] ?? NaN;
  return {
    ok,
    worstIndex: worst,
    worstActual: wa,
    worstExpected: we,
    worstAbsoluteError: Math.abs(wa - we),
    worstRelativeError: we === 0 ? (wa === 0 ? 0 : Infinity) : Math.abs(wa - we) / Math.abs(we),
    maxRelativeError: maxRel,
    count: a.length,
  };
}

/**
 * Asserts |actual - expected| <= atol + rtol * |expected| elementwise; on failure the error names
 * the worst element with its index, both values and both errors.
 */
export function expectClose(actual: Numeric, expected: Numeric, options: CloseOptions = {}): void {
  if (options.checkShape !== false && actual instanceof tf.Tensor && expected instanceof tf.Tensor) {
    if (actual.shape.join(',') !== expected.shape.join(',')) {
      throw new Error(`${options.label ?? 'value'}: shape [${actual.shape}] but expected [${expected.shape}]`);
    }
  }
  const r = compareClose(actual, expected, options);
  if (!r.ok) {
    throw new Error(
      `${options.label ?? 'value'} not close (rtol=${options.rtol ?? 1e-5}, atol=${options.atol ?? 1e-6}) ` +
        `over ${r.count} elements; worst at flat index ${r.worstIndex}: actual ${r.worstActual}, ` +
        `expected ${r.worstExpected}, abs error ${r.worstAbsoluteError.toExponential(3)}, ` +
        `rel error ${r.worstRelativeError.toExponential(3)}`,
    );
  }
}

/** Asserts every element is finite (no NaN, no +-Infinity), naming the first bad element. */
export function expectFinite(value: Numeric, label = 'value'): void {
  const a = toFlatArray(value);
  const bad = a.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`${label}: element ${bad} is ${a[bad]} (of ${a.length})`);
}
