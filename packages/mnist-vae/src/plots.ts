// Vega-Lite charts rendered to PNG: vega-lite compiles the spec, vega renders it to SVG with no
// canvas, resvg rasterizes the SVG. vega and vega-lite are ESM-only, so they are imported
// dynamically, on first use (jest's CommonJS transform never reaches them; tests plot in a child process).
import type { EpochMetrics } from './train.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
async function load(name: string): Promise<any> {
  const mod = await import(name);
  return mod.default && Object.keys(mod).length === 1 ? mod.default : mod;
}

/**
 * Renders a Vega-Lite specification to PNG bytes.
 *
 * @param spec - a Vega-Lite spec (with inline data)
 * @param zoom - rasterization scale (default 2)
 * @returns the PNG's bytes
 */
export async function vegaLiteToPng(spec: Record<string, unknown>, zoom = 2): Promise<Buffer> {
  const vl = await load('vega-lite');
  const vega = await load('vega');
  const { Resvg } = await load('@resvg/resvg-js');
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg: string = await view.toSVG();
  view.finalize();
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'zoom', value: zoom }, background: 'white' }).render().asPng());
}

/**
 * A scatter plot of latent codes coloured by digit label. Plane: the first two coordinates.
 * Sphere S^2 (3 coordinates on the unit sphere): longitude and latitude (an equirectangular map).
 *
 * @param codes - `count * dim` values
 * @param labels - one label per code
 * @param dim - latent dimension
 * @param spherical - whether the codes are unit vectors
 * @returns the Vega-Lite spec
 */
export function latentScatterSpec(codes: Float32Array, labels: Uint8Array, dim: number, spherical: boolean): Record<string, unknown> {
  const values = [];
  const sphere3 = spherical && dim === 3;
  for (let i = 0; i < labels.length; i++) {
    const z = codes.subarray(i * dim, (i + 1) * dim);
    if (sphere3) {
      values.push({ x: (Math.atan2(z[1], z[0]) * 180) / Math.PI, y: (Math.asin(Math.max(-1, Math.min(1, z[2]))) * 180) / Math.PI, digit: String(labels[i]) });
    } else {
      values.push({ x: z[0], y: dim > 1 ? z[1] : 0, digit: String(labels[i]) });
    }
  }
  const axis = (t: string) => ({ field: t, type: 'quantitative', title: sphere3 ? (t === 'x' ? 'longitude (degrees)' : 'latitude (degrees)') : t === 'x' ? 'z1' : 'z2', ...(sphere3 ? { scale: { domain: t === 'x' ? [-180, 180] : [-90, 90] } } : {}) });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: sphere3 ? 'Test-set mean directions on S^2, by digit' : 'Test-set posterior means, by digit',
    width: 480,
    height: sphere3 ? 240 : 420,
    data: { values },
    mark: { type: 'circle', size: 14, opacity: 0.75 },
    encoding: {
      x: axis('x'),
      y: axis('y'),
      color: { field: 'digit', type: 'nominal', scale: { scheme: 'category10' }, title: 'digit' },
    },
  };
}

/**
 * Training curves from metrics.jsonl: train and test ELBO per epoch, and the KL and
 * reconstruction terms, side by side.
 *
 * @param metrics - the epochs' metrics
 * @returns the Vega-Lite spec
 */
export function trainingCurvesSpec(metrics: EpochMetrics[]): Record<string, unknown> {
  const rows: Record<string, unknown>[] = [];
  for (const m of metrics) {
    rows.push({ epoch: m.epoch, panel: 'ELBO (nats)', series: 'train ELBO', value: m.elbo });
    rows.push({ epoch: m.epoch, panel: 'ELBO (nats)', series: 'test ELBO', value: m.testElbo });
    rows.push({ epoch: m.epoch, panel: 'KL (nats)', series: 'train KL', value: m.kl });
    rows.push({ epoch: m.epoch, panel: 'KL (nats)', series: 'test KL', value: m.testKl });
  }
  const panel = (name: string) => ({
    title: name,
    width: 300,
    height: 220,
    transform: [{ filter: { field: 'panel', equal: name } }],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: name },
      color: { field: 'series', type: 'nominal', title: null },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: { values: rows },
    hconcat: [panel('ELBO (nats)'), panel('KL (nats)')],
    resolve: { scale: { color: 'independent' } },
  };
}
