import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../security/data-converter';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * Bundles the workflow code once and writes it to a file; workers given its path skip webpack, which
 * takes seconds per worker on a 2-core machine (tests start many workers).
 */
export async function prepareWorkflowBundle(outDir: string = os.tmpdir()): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quietLogger,
  });
  const file = path.join(outDir, `sojourn-workflows-${process.pid}-${Date.now()}.js`);
  fs.writeFileSync(file, code);
  return file;
}

const noop = (): void => undefined;
const quietLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: console.warn,
  error: console.error,
  log: noop,
};
