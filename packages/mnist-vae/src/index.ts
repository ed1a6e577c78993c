// The public surface of @vae/mnist-vae: every export is named here and nowhere else.
export { MnistVae, DEFAULT_VAE_CONFIG, isSphericalPosterior, resolveVaeConfig } from './model.js';
export type { ElboTerms, PosteriorFamily, PriorKind, VaeConfig, VaeLossOptions } from './model.js';
export { CLASS_NAMES, batchTensor, binarizeImages, classNamesOf, loadEmbeddedMnist, parseIdx, readIdxDataset } from './data.js';
export type { BinarizeMode, DatasetSplit, IdxArray, ImageDataset } from './data.js';
export { FileIOHandler } from './io-handler.js';
export { loadCheckpoint, loadModel, saveCheckpoint, saveModel } from './checkpoint.js';
export type { LoadedCheckpoint, NamedTensor, TrainingState } from './checkpoint.js';
export { trainVae, trainingStep } from './train.js';
export type { EpochMetrics, TrainOptions, TrainResult, TrainingStepOptions, TrainingStepResult } from './train.js';
export { evaluateVae, exactLogLikelihood2d, latentGrid } from './evaluate.js';
export type { EvaluateOptions, EvaluationReport, PosteriorSummary } from './evaluate.js';
export {
  imageGridPng,
  latentCodes,
  manifoldPng,
  posteriorManifoldAxes,
  priorManifoldAxes,
  reconstructionsPng,
  samplesPng,
} from './images.js';
export type { ImageGridOptions, ManifoldAxes, ManifoldImage } from './images.js';
export { runCli } from './command.js';
export type { CliIo } from './command.js';
export type { Activation, DenseLayer } from './layers.js';
