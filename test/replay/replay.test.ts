import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../../config/env';
import { FIXTURE_CODEC_KEY } from '../../scripts/record-histories';
import { dataConverterFor, FAILURE_CONVERTER_PATH } from '../../security/data-converter';
import { WORKFLOWS_PATH } from '../../worker/bundle';

/** Fixtures are recorded encrypted, like every history; the replay decodes them with their key. */
const dataConverter = dataConverterFor(loadConfig({ SOJOURN_CODEC_KEY: FIXTURE_CODEC_KEY }));

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'histories');

/** Every saved history of every release: test/fixtures/histories/<release>/<scenario>-<n>.binpb. */
function fixtures(): Array<{ name: string; history: unknown }> {
  return fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((release) =>
      fs
        .readdirSync(path.join(FIXTURES, release.name))
        .filter((f) => f.endsWith('.binpb'))
        .map((f) => ({
          name: `${release.name}/${f}`,
          history: temporal.api.history.v1.History.decode(
            fs.readFileSync(path.join(FIXTURES, release.name, f)),
          ) as unknown,
        })),
    );
}

beforeAll(() => {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed already
  }
});

const all = fixtures();

test('there are recorded histories to replay', () => {
  expect(all.length).toBeGreaterThanOrEqual(5);
});

test.each(all.map((f) => [f.name, f.history] as const))(
  '%s replays against the current workflow code',
  async (_name, history) => {
    const codePath = process.env.SOJOURN_WORKFLOW_BUNDLE;
    await Worker.runReplayHistory(
      { ...(codePath ? { workflowBundle: { codePath } } : { workflowsPath: WORKFLOWS_PATH }), dataConverter },
      history,
    );
  },
);

const sendFixtures = all.filter((f) => f.name.includes('send-track-and-identify'));

test.each(sendFixtures.map((f) => [f.name, f] as const))(
  'a bundle whose send step changes its command order without patched() fails the replay of %s',
  async (_name, send) => {
    const realSendStep = path.join(path.dirname(WORKFLOWS_PATH), 'steps', 'send.ts');
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: new DefaultLogger('ERROR'),
      webpackConfigHook: (config) => {
        config.resolve = config.resolve ?? {};
        config.resolve.alias = {
          ...(config.resolve.alias as Record<string, string>),
          [realSendStep]: path.join(__dirname, 'altered-send-step.ts'),
        };
        return config;
      },
    });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sojourn-altered-')), 'workflows.js');
    fs.writeFileSync(file, code);
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: file }, dataConverter }, send.history),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  },
);

test('every release has a send fixture for the check above', () => {
  expect(sendFixtures.length).toBeGreaterThanOrEqual(2);
});
