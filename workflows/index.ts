// Everything the worker's workflow bundle exports.
export { journeyWorkflow } from './journey';
export { refitPredictiveTrait } from './refit-trait';
