// vegaLiteToPng loads vega (ESM only), which jest's CommonJS runtime cannot require; the CLI's
// plot command runs it in a child process (command.test.ts).
import { CHART_FONT, chartFontFiles, latentScatterSpec, pictureSpec, trainingCurvesSpec } from './plots.js';
import { imageGridPng } from './images.js';
import type { EpochMetrics } from './train.js';

type Spec = Record<string, unknown> & { data: { values: Record<string, unknown>[] }; encoding: Record<string, Record<string, unknown>> };

describe('latentScatterSpec', () => {
  it('plots 2-d codes as (z1, z2) points labelled by digit', () => {
    const spec = latentScatterSpec(new Float32Array([0.5, -1, 2, 3]), new Uint8Array([7, 1]), 2, false) as Spec;
    expect(spec.data.values).toEqual([
      { x: 0.5, y: -1, label: '7' },
      { x: 2, y: 3, label: '1' },
    ]);
    expect(spec.title).toBe('Test-set posterior means, by digit');
  });

  it('plots directions on S^2 as longitude and latitude in degrees', () => {
    const s = Math.SQRT1_2;
    const spec = latentScatterSpec(new Float32Array([0, 1, 0, s, 0, s, 0, 0, -1]), new Uint8Array([0, 1, 2]), 3, true, [
      'a',
      'b',
      'c',
    ]) as Spec;
    const values = spec.data.values as { x: number; y: number; label: string }[];
    expect(values.map((v) => v.label)).toEqual(['a', 'b', 'c']);
    expect(values[0].x).toBeCloseTo(90, 5);
    expect(values[0].y).toBeCloseTo(0, 5);
    expect(values[1].x).toBeCloseTo(0, 5);
    expect(values[1].y).toBeCloseTo(45, 4);
    expect(values[2].y).toBeCloseTo(-90, 5);
    expect(spec.title).toBe('Test-set mean directions on S^2, by class');
  });
});

describe('trainingCurvesSpec', () => {
  it('has four rows per epoch: train and test ELBO and KL', () => {
    const m = { epoch: 1, elbo: -150, testElbo: -152, kl: 5, testKl: 5.5 } as unknown as EpochMetrics;
    const spec = trainingCurvesSpec([m, { ...m, epoch: 2, elbo: -140 }]) as unknown as Spec;
    expect(spec.data.values).toHaveLength(8);
    expect(spec.data.values.filter((r) => r.series === 'train ELBO').map((r) => r.value)).toEqual([-150, -140]);
    expect(spec.data.values.filter((r) => r.series === 'test KL').map((r) => r.value)).toEqual([5.5, 5.5]);
  });
});

describe('pictureSpec', () => {
  it('sizes the picture from the PNG header (times the scale) and labels only the axes asked for', () => {
    const png = imageGridPng(new Float32Array(2 * 3 * 784).fill(0.5), 2, 3);
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    const spec = pictureSpec(png, 2, 3, { x: ['a', 'b', 'c'], y: null }, 'grid', 2);
    expect([spec.width, spec.height]).toEqual([2 * width, 2 * height]);
    expect(((spec as Spec).encoding.y as { axis: unknown }).axis).toBeNull();
    const x = (spec as Spec).encoding.x as { axis: { values: number[]; labelExpr: string } };
    expect(x.axis.values).toEqual([0.5, 1.5, 2.5]);
    expect(x.axis.labelExpr).toBe('["a","b","c"][floor(datum.value)]');
  });

  it('finds the chart font when it is installed', () => {
    const files = chartFontFiles();
    expect(CHART_FONT).toBe('DejaVu Sans');
    files.forEach((f) => expect(f).toMatch(/DejaVuSans(-Bold)?\.ttf$/));
  });
});
