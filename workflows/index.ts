// Everything the worker's workflow bundle exports.
export { journeyWorkflow } from './journey';
export { ListBatcherWorkflow } from './list-batcher';
export { refitPredictiveTrait } from './refit-trait';
export { pruneOldRecordsWorkflow } from './retention';
