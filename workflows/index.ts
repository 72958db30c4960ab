// Everything the worker's workflow bundle exports.
export { journeyWorkflow } from './journey';
