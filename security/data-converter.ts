import type { DataConverter } from '@temporalio/common';
import { payloadCodecFor } from './codec-keys';

type CodecConfig = Parameters<typeof payloadCodecFor>[0];

/** Module path of the failure converter: workflow bundles and workers load it by path. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** The data converter every Temporal client and worker of this deployment uses (SPEC §6). */
export function dataConverterFor(config: CodecConfig, codec = payloadCodecFor(config)): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}
