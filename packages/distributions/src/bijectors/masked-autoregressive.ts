import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import { FlowLayer } from './flow-layer.js';
import type { FlowLayerParams } from './flow-layer.js';
import { checkDimension } from './flow-variable.js';

/**
 * Which way the autoregressive affine map runs fast: `'iaf'` (inverse autoregressive flow: forward
 * in one pass, for posteriors that sample) or `'maf'` (masked autoregressive flow: inverse in one
 * pass, for priors that evaluate densities).
 */
export type AutoregressiveDirection = 'iaf' | 'maf';

/** Parameters of {@link MaskedAutoregressive}. */
export interface MaskedAutoregressiveParams extends FlowLayerParams {
  /** Hidden units H of the MADE conditioner (default max(4 D, 16)). */
  hiddenUnits?: number;
  /** Size C of a context vector every hidden unit sees (default 0: unconditioned). */
  contextDim?: number;
  /** `'iaf'` (default) or `'maf'`: see {@link AutoregressiveDirection}. */
  direction?: AutoregressiveDirection;
  /** Order the autoregression from the last coordinate to the first (default false); alternate it between stacked layers. */
  reverseOrder?: boolean;
  /** Standard deviation of the initial output weights (default 0.01: the layer starts near the identity). */
  outputInitStddev?: number;
}

/**
 * Bound on |log-scale|: the raw output passes through B tanh(raw / B), so exp(+-B) stays far inside
 * float32 while near 0 it is the identity.
 */
const LOG_SCALE_BOUND = 5;

/**
 * An affine autoregressive flow layer with a MADE conditioner (Germain et al. 2015): the inverse
 * autoregressive flow of Kingma et al. (2016) or the masked autoregressive flow of Papamakarios et
 * al. (2017), optionally conditioned on a context vector.
 *
 * @remarks
 * A one-hidden-layer masked network gives, for each coordinate i (in the layer's order), a shift
 * mu_i and a log-scale s_i that depend only on the coordinates before i (and on the context h):
 * hidden = tanh((M1 * W1)^T u + Wc^T h + b1), [mu, s_raw] = (M2 * W2)^T hidden + b2, with
 * s = 5 tanh(s_raw / 5). Input degrees are 1..D (reversed with `reverseOrder`), hidden degrees
 * cycle over 1..D-1, M1 keeps edges to hidden units of degree >= the input's and M2 edges to
 * outputs of degree > the hidden unit's, so the Jacobian is triangular.
 *
 * - `'iaf'`: y = x exp(s(x)) + mu(x): forward is one pass and log |det J_f(x)| = sum_i s_i(x);
 *   the inverse takes D passes (x is fixed one coordinate per pass).
 * - `'maf'`: x = (y - mu(y)) exp(-s(y)): inverse is one pass and log |det J_{f^-1}(y)| = -sum_i s_i(y);
 *   the forward takes D passes.
 *
 * `condition(h)` returns the same layer (same variables) bound to a context h of shape
 * `batch + [C]`, which broadcasts against x's leading axes: Kingma et al.'s IAF posterior, where h
 * is an extra output of the encoder. Events are the last axis. The trainable variables are
 * `[inputWeights, (contextWeights,) hiddenBias, outputWeights, outputBias]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MaskedAutoregressive } from '@vae/distributions';
 *
 * const iaf = new MaskedAutoregressive({ dim: 3, seed: 1, outputInitStddev: 0.5 });
 * tf.tidy(() => {
 *   const x = tf.tensor2d([[0.5, -1, 2]]);
 *   const back = iaf.inverse(iaf.forward(x));
 *   console.log(tf.max(tf.abs(tf.sub(back, x))).arraySync() < 1e-5); // true
 *   console.log(iaf.forwardLogDetJacobian(x).shape); // [1]
 * });
 * console.log(iaf.trainableVariables().length); // 4
 * iaf.dispose();
 * ```
 */
export class MaskedAutoregressive extends FlowLayer {
  /** The bijector's name in messages, spelled out because minifiers rename classes. */
  static override readonly bijectorName: string = 'MaskedAutoregressive';
  /** Hidden units H. */
  readonly hiddenUnits: number;
  /** Context size C (0 when unconditioned). */
  readonly contextDim: number;
  /** Which direction is the single pass. */
  readonly direction: AutoregressiveDirection;
  /** Input-to-hidden weights, shape `[D, H]` (masked). */
  readonly inputWeights: tf.Variable;
  /** Context-to-hidden weights, shape `[C, H]` (absent when C = 0). */
  readonly contextWeights?: tf.Variable;
  /** Hidden biases, shape `[H]`. */
  readonly hiddenBias: tf.Variable;
  /** Hidden-to-output weights, shape `[H, 2 D]` (masked; shifts then log-scales). */
  readonly outputWeights: tf.Variable;
  /** Output biases, shape `[2 D]`. */
  readonly outputBias: tf.Variable;
  /** The context a conditioned view is bound to. */
  protected readonly context?: tf.Tensor;
  private readonly inputMask: tf.Tensor;
  private readonly outputMask: tf.Tensor;

  /**
   * @param params - the event size, hidden units, context size, direction, order, seed
   */
  constructor(params: MaskedAutoregressiveParams) {
    super(params);
    const d = this.dim;
    const h = (this.hiddenUnits = checkDimension(params.hiddenUnits ?? Math.max(4 * d, 16), 'hiddenUnits', 1, this.name));
    const c = (this.contextDim = checkDimension(params.contextDim ?? 0, 'contextDim', 0, this.name));
    const direction = params.direction ?? 'iaf';
    if (direction !== 'iaf' && direction !== 'maf')
      throw new InvalidArgumentError('direction', "'iaf' or 'maf'", `got ${String(direction)}`, this.name);
    this.direction = direction;
    const outputStd = params.outputInitStddev ?? 0.01;
    if (!(outputStd >= 0 && Number.isFinite(outputStd))) {
      throw new InvalidArgumentError('outputInitStddev', 'a finite number >= 0', `got ${outputStd}`, this.name);
    }
    const seed = params.seed;
    const at = (k: number) => (seed === undefined ? undefined : seed * 8 + k);

    const inputDegree = Array.from({ length: d }, (_, i) => (params.reverseOrder ? d - i : i + 1));
    const hiddenDegree = Array.from({ length: h }, (_, j) => (j % Math.max(1, d - 1)) + 1);
    const m1 = inputDegree.flatMap((di) => hiddenDegree.map((dh) => (dh >= di ? 1 : 0)));
    const m2 = hiddenDegree.flatMap((dh) => [...inputDegree, ...inputDegree].map((dout) => (dout > dh ? 1 : 0)));
    this.inputMask = this.own(tf.tensor2d(m1, [d, h]));
    this.outputMask = this.own(tf.tensor2d(m2, [h, 2 * d]));

    this.inputWeights = this.variable('inputWeights', [d, h], { stddev: 1 / Math.sqrt(d), seed: at(0) });
    if (c > 0) this.contextWeights = this.variable('contextWeights', [c, h], { stddev: 1 / Math.sqrt(c), seed: at(1) });
    this.hiddenBias = this.variable('hiddenBias', [h], {});
    this.outputWeights = this.variable('outputWeights', [h, 2 * d], { stddev: outputStd, seed: at(2) });
    this.outputBias = this.variable('outputBias', [2 * d], {});
  }

  /**
   * The same layer (sharing its variables) bound to a context vector h.
   * @param context - h, shape `batch + [C]`; it must outlive the view (the view does not own it)
   * @returns a bijector whose conditioner sees h; its `dispose()` frees nothing
   */
  condition(context: tf.Tensor): MaskedAutoregressive {
    if (this.contextDim === 0)
      throw new InvalidArgumentError('context', 'absent for a layer built with contextDim 0', undefined, this.name);
    if (context.rank < 1 || context.shape[context.rank - 1] !== this.contextDim) {
      throw new InvalidArgumentError('context', `of shape batch + [${this.contextDim}]`, `got shape [${context.shape}]`, this.name);
    }
    const view = Object.create(this) as MaskedAutoregressive;
    Object.defineProperty(view, 'context', { value: context });
    Object.defineProperty(view, 'dispose', { value: () => undefined });
    return view;
  }

  /** Beyond the event size, a layer built with a context needs one bound before it maps anything. */
  protected override _checkInput(t: tf.Tensor, argument: 'x' | 'y'): void {
    super._checkInput(t, argument);
    if (this.contextDim > 0 && this.context === undefined) {
      throw new InvalidArgumentError('context', 'given through condition(h) for a layer built with contextDim > 0', undefined, this.name);
    }
  }

  /** [mu, s] of shape (u's leading axes, broadcast with the context's) + [D]. */
  private shiftAndLogScale(u: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const d = this.dim;
    const lead = u.shape.slice(0, -1);
    let pre = tf.reshape(tf.matMul(tf.reshape(u, [-1, d]), tf.mul(this.inputWeights, this.inputMask)), [...lead, this.hiddenUnits]);
    if (this.contextWeights && this.context) {
      const ctxLead = this.context.shape.slice(0, -1);
      const ctx = tf.reshape(tf.matMul(tf.reshape(this.context, [-1, this.contextDim]), this.contextWeights), [
        ...ctxLead,
        this.hiddenUnits,
      ]);
      pre = tf.add(pre, ctx);
    }
    const hidden = tf.tanh(tf.add(pre, this.hiddenBias));
    const hLead = hidden.shape.slice(0, -1);
    const out = tf.reshape(
      tf.add(tf.matMul(tf.reshape(hidden, [-1, this.hiddenUnits]), tf.mul(this.outputWeights, this.outputMask)), this.outputBias),
      [...hLead, 2 * d],
    );
    const [shift, raw] = tf.split(out, 2, -1);
    return [shift, tf.mul(tf.tanh(tf.div(raw, LOG_SCALE_BOUND)), LOG_SCALE_BOUND)];
  }

  /** One pass each way: y = x exp(s(u)) + mu(u) and x = (y - mu(u)) exp(-s(u)), u the conditioning input. */
  private affine(x: tf.Tensor, u: tf.Tensor): tf.Tensor {
    const [shift, logScale] = this.shiftAndLogScale(u);
    return tf.add(tf.mul(x, tf.exp(logScale)), shift);
  }

  private unaffine(y: tf.Tensor, u: tf.Tensor): tf.Tensor {
    const [shift, logScale] = this.shiftAndLogScale(u);
    return tf.mul(tf.sub(y, shift), tf.exp(tf.neg(logScale)));
  }

  /** The shape u takes after broadcasting with the context, so the D-pass loops start at their final shape. */
  private broadcastToContext(u: tf.Tensor): tf.Tensor {
    if (!this.context) return u;
    const ctxLead = this.context.shape.slice(0, -1);
    const uLead = u.shape.slice(0, -1);
    const n = Math.max(ctxLead.length, uLead.length);
    const pad = (s: number[]) => [...Array<number>(n - s.length).fill(1), ...s];
    const lead = pad(uLead).map((a, i) => Math.max(a, pad(ctxLead)[i]));
    return tf.broadcastTo(u, [...lead, this.dim]);
  }

  /**
   * One way through the flow: a single `step` where the conditioner reads the input itself (the
   * `onePass` direction), else D steps, each fixing one more output from the ones before it.
   */
  private pass(value: tf.Tensor, onePass: AutoregressiveDirection, step: (value: tf.Tensor, u: tf.Tensor) => tf.Tensor): tf.Tensor {
    if (this.direction === onePass) return step(value, value);
    const broadcast = this.broadcastToContext(value);
    let out = tf.zerosLike(broadcast);
    for (let i = 0; i < this.dim; i++) out = step(broadcast, out);
    return out;
  }

  protected _forward(x: tf.Tensor): tf.Tensor {
    return this.pass(x, 'iaf', (v, u) => this.affine(v, u));
  }

  protected _inverse(y: tf.Tensor): tf.Tensor {
    return this.pass(y, 'maf', (v, u) => this.unaffine(v, u));
  }

  protected override _forwardLogDetJacobian(x: tf.Tensor): tf.Tensor {
    const u = this.direction === 'iaf' ? x : this._forward(x);
    return tf.sum(this.shiftAndLogScale(u)[1], -1);
  }

  protected override _forwardAndLogDetJacobian(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
    if (this.direction === 'maf') return super._forwardAndLogDetJacobian(x);
    // IAF: one conditioner pass gives both the shift/scale of y and the log-Jacobian sum(s).
    const [shift, logScale] = this.shiftAndLogScale(x);
    return [tf.add(tf.mul(x, tf.exp(logScale)), shift), tf.sum(logScale, -1)];
  }

  protected override _inverseLogDetJacobian(y: tf.Tensor): tf.Tensor {
    const u = this.direction === 'maf' ? y : this._inverse(y);
    return tf.neg(tf.sum(this.shiftAndLogScale(u)[1], -1));
  }
}
