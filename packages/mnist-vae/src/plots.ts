// Vega-Lite charts rendered to PNG: vega-lite compiles the spec, vega renders it to SVG with no
// canvas, resvg rasterizes the SVG. vega and vega-lite are ESM-only, so they are imported
// dynamically, on first use (jest's CommonJS transform never reaches them; tests plot in a child process).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { EpochMetrics } from './train.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
async function load(name: string): Promise<any> {
  const mod = await import(name);
  return mod.default && Object.keys(mod).length === 1 ? mod.default : mod;
}

/** The shipped font (DejaVu Sans from the dejavu-fonts-ttf package), so charts look the same on every machine. */
export const CHART_FONT = 'DejaVu Sans';

/** This file's path, from a stack frame: works in the ESM and CommonJS builds alike (import.meta exists in one only). */
function thisFile(): string | undefined {
  for (const line of (new Error().stack ?? '').split('\n')) {
    const m = /(?:file:\/\/)?(\/[^():]+plots\.[cm]?[jt]s)/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

let fontFiles: string[] | undefined;
/** The font files of {@link CHART_FONT}, resolved from this package (empty when not installed). */
export function chartFontFiles(): string[] {
  if (fontFiles) return fontFiles;
  fontFiles = [];
  for (const base of [thisFile(), process.argv[1], join(process.cwd(), 'index.js')]) {
    if (!base) continue;
    try {
      const req = createRequire(base);
      fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => req.resolve(`dejavu-fonts-ttf/ttf/${f}`));
      break;
    } catch {
      // the next base
    }
  }
  return fontFiles;
}

/**
 * Renders a Vega-Lite specification to PNG bytes, with the shipped font ({@link CHART_FONT}) and
 * no system fonts when it is installed, so the same spec gives the same picture on every machine.
 *
 * @param spec - a Vega-Lite spec (with inline data)
 * @param zoom - rasterization scale (default 2)
 * @returns the PNG's bytes
 */
export async function vegaLiteToPng(spec: Record<string, unknown>, zoom = 2): Promise<Buffer> {
  const vl = await load('vega-lite');
  const vega = await load('vega');
  const { Resvg } = await load('@resvg/resvg-js');
  const files = chartFontFiles();
  const themed = files.length ? { ...spec, config: { font: CHART_FONT, ...(spec.config as object | undefined) } } : spec;
  const compiled = vl.compile(themed).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg: string = await view.toSVG();
  view.finalize();
  const font = files.length
    ? { fontFiles: files, loadSystemFonts: false, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT }
    : undefined;
  return Buffer.from(
    new Resvg(svg, { fitTo: { mode: 'zoom', value: zoom }, background: 'white', ...(font ? { font } : {}) }).render().asPng(),
  );
}

/** Axis ticks at the centres of about seven of `n` cells, evenly spaced, labelled from `labels` (cell 0 at the left or top). */
function cellAxis(n: number, labels: string[], title: string, fromTop: boolean): Record<string, unknown> {
  const step = Math.max(1, Math.ceil((n - 1) / 6));
  const cells = Array.from({ length: Math.floor((n - 1) / step) + 1 }, (_, k) => k * step);
  // The last cell too, unless it would crowd the tick before it.
  if (n - 1 - cells[cells.length - 1] >= 0.75 * step) cells.push(n - 1);
  const position = (i: number) => (fromTop ? n - i - 0.5 : i + 0.5);
  const index = fromTop ? `${n - 1} - floor(datum.value)` : 'floor(datum.value)';
  return { title, values: cells.map(position), labelExpr: `${JSON.stringify(labels)}[${index}]`, grid: false, labelOverlap: false };
}

/**
 * A chart that shows a picture (a grid of decoded images) with labelled axes: each cell's
 * coordinate on the axes, and a title.
 *
 * @param png - the picture
 * @param rows - cells down
 * @param cols - cells across
 * @param axes - tick labels per column (`x`, left to right) and per row (`y`, top to bottom), axis titles, or `null` to hide an axis
 * @param title - the chart's title (a string, or lines)
 * @param scale - chart units per pixel of the picture (default 1)
 * @returns the Vega-Lite spec
 */
export function pictureSpec(
  png: Buffer,
  rows: number,
  cols: number,
  axes: { x: string[] | null; y: string[] | null; xTitle?: string; yTitle?: string },
  title: string | string[],
  scale = 1,
): Record<string, unknown> {
  // A PNG's width and height are the big-endian words at bytes 16 and 20 (the IHDR chunk).
  const width = png.readUInt32BE(16) * scale;
  const height = png.readUInt32BE(20) * scale;
  const cells = (n: number) => ({ domain: [0, n], nice: false, zero: false });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, anchor: 'start' },
    width,
    height,
    data: { values: [{ x: cols / 2, y: rows / 2, url: `data:image/png;base64,${png.toString('base64')}` }] },
    mark: { type: 'image', width, height, smooth: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: cells(cols), axis: axes.x ? cellAxis(cols, axes.x, axes.xTitle ?? '', false) : null },
      y: { field: 'y', type: 'quantitative', scale: cells(rows), axis: axes.y ? cellAxis(rows, axes.y, axes.yTitle ?? '', true) : null },
      url: { field: 'url', type: 'nominal' },
    },
    config: { view: { stroke: null } },
  };
}

/**
 * A scatter plot of latent codes coloured by class. Plane: the first two coordinates.
 * Sphere S^2 (3 coordinates on the unit sphere): longitude and latitude (an equirectangular map).
 *
 * @param codes - `count * dim` values
 * @param labels - one label per code
 * @param dim - latent dimension
 * @param spherical - whether the codes are unit vectors
 * @param classNames - the name of each label (default the digits 0-9)
 * @returns the Vega-Lite spec
 */
export function latentScatterSpec(
  codes: Float32Array,
  labels: Uint8Array,
  dim: number,
  spherical: boolean,
  classNames: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
): Record<string, unknown> {
  const digits = classNames.every((n, i) => n === String(i));
  const what = digits ? 'digit' : 'class';
  const values = [];
  const sphere3 = spherical && dim === 3;
  for (let i = 0; i < labels.length; i++) {
    const z = codes.subarray(i * dim, (i + 1) * dim);
    if (sphere3) {
      values.push({
        x: (Math.atan2(z[1], z[0]) * 180) / Math.PI,
        y: (Math.asin(Math.max(-1, Math.min(1, z[2]))) * 180) / Math.PI,
        label: classNames[labels[i]] ?? String(labels[i]),
      });
    } else {
      values.push({ x: z[0], y: dim > 1 ? z[1] : 0, label: classNames[labels[i]] ?? String(labels[i]) });
    }
  }
  const axis = (t: string) => ({
    field: t,
    type: 'quantitative',
    title: sphere3 ? (t === 'x' ? 'longitude (degrees)' : 'latitude (degrees)') : t === 'x' ? 'z1' : 'z2',
    ...(sphere3 ? { scale: { domain: t === 'x' ? [-180, 180] : [-90, 90] } } : {}),
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: sphere3 ? `Test-set mean directions on S^2, by ${what}` : `Test-set posterior means, by ${what}`,
    width: 480,
    height: sphere3 ? 240 : 420,
    data: { values },
    mark: { type: 'circle', size: 14, opacity: 0.75 },
    encoding: {
      x: axis('x'),
      y: axis('y'),
      color: { field: 'label', type: 'nominal', scale: { scheme: 'category10', domain: [...classNames] }, title: what },
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
