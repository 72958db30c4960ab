/** `npm start`: the whole dev stack, worker and API in one process (SPEC §1). */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startApiServer } from '../api/server';
import { loadConfig, type SojournConfig } from '../config/env';
import { codecTokenFor } from '../security/codec-keys';
import { startWorker } from '../worker/run';
import { killStackProcessesSync, startStack, type Stack } from './stack';

/** Dev keys from the environment, else generated once and kept in the data dir so restarts reuse them. */
function devKeys(config: SojournConfig): { apiKey: string; writeKey: string } {
  const file = path.join(config.dataDir, 'dev-keys.json');
  let saved: { apiKey?: string; writeKey?: string } = {};
  if (fs.existsSync(file)) saved = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof saved;
  const keys = {
    apiKey: config.apiKey ?? saved.apiKey ?? `sk_dev_${randomBytes(18).toString('base64url')}`,
    writeKey: config.writeKey ?? saved.writeKey ?? `wk_dev_${randomBytes(18).toString('base64url')}`,
  };
  // Only generated keys are stored; keys given through the environment stay out of files.
  const toSave = {
    apiKey: saved.apiKey ?? (config.apiKey ? undefined : keys.apiKey),
    writeKey: saved.writeKey ?? (config.writeKey ? undefined : keys.writeKey),
  };
  if (toSave.apiKey !== saved.apiKey || toSave.writeKey !== saved.writeKey) {
    fs.writeFileSync(file, `${JSON.stringify(toSave, null, 2)}\n`, { mode: 0o600 });
  }
  return keys;
}

function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '****';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const { apiKey, writeKey } = devKeys(config);

  // Stopped in reverse order of starting: API, worker, then the stack.
  const running: Array<{ name: string; stop(): Promise<void> }> = [];
  let stopping = false;
  const stopAll = async (): Promise<number> => {
    stopping = true;
    let code = 0;
    for (const part of running.reverse()) {
      try {
        await part.stop();
      } catch (err) {
        code = 1;
        console.error(`stopping ${part.name} failed:`, err);
      }
    }
    return code;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`\n${signal} again: exiting now`);
      process.exit(1); // the 'exit' hook in stack.ts still signals the servers
    }
    console.log(`\n${signal}: shutting down ...`);
    void stopAll().then((code) => process.exit(code));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  console.log('Starting Temporal and PostgreSQL ...');
  const stack = await startStack({
    dataDir: config.dataDir,
    ephemeral: false,
    temporalAddress: config.temporalAddress,
    databaseUrl: config.databaseUrl,
    temporalPort: config.temporalPort,
    uiPort: config.temporalUiPort,
    namespace: config.temporalNamespace,
    // The Web UI asks our API to decode payloads for display; it cannot send the API key, so the URL
    // carries the codec token (api/routes/codec.ts).
    uiCodecEndpoint: `http://127.0.0.1:${config.port}/codec/t/${codecTokenFor(config)}`,
  });
  running.push({ name: 'Temporal/PostgreSQL', stop: stack.stop });

  try {
    const full = {
      ...config,
      temporalAddress: stack.temporalAddress,
      databaseUrl: stack.databaseUrl,
      apiKey,
      writeKey,
    };
    const worker = await startWorker(full);
    running.push({ name: 'worker', stop: () => worker.stop() });
    const api = await startApiServer(full);
    running.push({ name: 'API', stop: () => api.stop() });
    printBanner(config, stack, api.url, apiKey, writeKey);
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function printBanner(
  config: SojournConfig,
  stack: Stack,
  apiUrl: string,
  apiKey: string,
  writeKey: string,
): void {
  const rows: Array<[string, string]> = [
    ['API', apiUrl],
    ['Temporal UI', stack.uiUrl ?? '(external Temporal: use its own UI)'],
    ['Temporal', `${stack.temporalAddress} (namespace ${config.temporalNamespace})`],
    ['Database', maskPassword(stack.databaseUrl)],
    ['API key', apiKey],
    ['Write key', writeKey],
    ['Data dir', config.dataDir],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(
    [
      '',
      'Sojourn is running.',
      ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  killStackProcessesSync(); // in case startStack itself was interrupted half-way
  process.exit(1);
});
