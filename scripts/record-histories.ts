/**
 * Records the histories of test/replay/scenarios.ts against a fresh Temporal dev server and saves
 * them under test/fixtures/histories/<release>/ as binary protobuf. Run it when workflow code changes on purpose (behind
 * `patched()`), and keep every earlier release's fixtures: the replay test checks them all.
 *
 *   npx tsx scripts/record-histories.ts <release>     e.g. v1
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { startReceiver } from '../test/helpers/receiver';
import { startSojourn } from '../test/helpers/sojourn';
import { scenarios } from '../test/replay/scenarios';
import { prepareWorkflowBundle } from '../worker/bundle';
import { startStack } from './stack';

/**
 * The payload codec key the fixtures are encrypted with. Not a secret: fixtures hold only test data,
 * and the replay test must decode them with the same key.
 */
export const FIXTURE_CODEC_KEY = 'fixtures:sojourn-replay-fixtures-codec-key';

async function main(): Promise<void> {
  const release = process.argv[2];
  if (!release || !/^v\d+$/.test(release)) throw new Error('usage: tsx scripts/record-histories.ts v<N>');
  const outDir = path.resolve(__dirname, '..', 'test', 'fixtures', 'histories', release);
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sojourn-record-'));
  fs.chmodSync(tempDir, 0o755);
  const stack = await startStack({ dataDir: tempDir, ephemeral: true, toolsDataDir: path.resolve('.data') });
  Object.assign(process.env, {
    TEMPORAL_ADDRESS: stack.temporalAddress,
    DATABASE_URL: stack.databaseUrl,
    SOJOURN_DATA_DIR: tempDir,
    SOJOURN_CODEC_KEY: FIXTURE_CODEC_KEY,
    SOJOURN_WORKFLOW_BUNDLE: await prepareWorkflowBundle(tempDir),
  });
  const receiver = await startReceiver();
  const sojourn = await startSojourn({ timeScale: 1 / 172_800 });
  try {
    fs.mkdirSync(outDir, { recursive: true });
    for (const scenario of scenarios) {
      const ids = await scenario.run(sojourn, receiver);
      for (const [i, workflowId] of ids.entries()) {
        const history = await sojourn.temporal.workflow.getHandle(workflowId).fetchHistory();
        // Binary protobuf: the SDK's JSON reader trips over the two copies of protobufjs npm installs here
        // ("type must be a Type"), while binary histories replay as they are.
        const file = path.join(outDir, `${scenario.name}-${i + 1}.binpb`);
        fs.writeFileSync(file, temporal.api.history.v1.History.encode(history).finish());
        console.log(`saved ${path.relative(process.cwd(), file)} (${history.events?.length ?? 0} events)`);
      }
    }
  } finally {
    await sojourn.stop();
    await receiver.close();
    await stack.stop();
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
