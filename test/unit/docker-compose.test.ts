/**
 * docker-compose.yml is the production-like deployment (SPEC §1). There is no Docker engine here, so
 * this reads the file the way Compose would (YAML with merge keys, then `${VAR}` interpolation) and
 * checks how the services are wired. Each check returns its problems; the mutation tests below show
 * that each one does catch the mistake it is for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../scripts/stack';

const ROOT = path.join(__dirname, '..', '..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
const SERVICES = ['postgres', 'temporal', 'temporal-ui', 'sojourn-worker', 'sojourn-api'] as const;
const APP_SERVICES = ['sojourn-worker', 'sojourn-api'] as const;
/** Variables the app reads that have no usable default in production, per service (the baseline). */
const SECRETS_BY_SERVICE: Record<(typeof APP_SERVICES)[number], string[]> = {
  'sojourn-worker': ['SOJOURN_SECRET_KEY', 'SOJOURN_CODEC_KEY'],
  'sojourn-api': ['SOJOURN_API_KEY', 'SOJOURN_WRITE_KEY', 'SOJOURN_SECRET_KEY', 'SOJOURN_CODEC_KEY', 'SOJOURN_CODEC_TOKEN'],
};
const ENTRY_FILES: Record<(typeof APP_SERVICES)[number], string> = {
  'sojourn-worker': 'worker/main.ts',
  'sojourn-api': 'api/main.ts',
};

// ---- the Compose file model ------------------------------------------------------------------

type EnvValue = string | number | boolean | null;
type PortSpec = string | number | { target?: number | string; published?: number | string };
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, EnvValue> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: PortSpec[];
  container_name?: string;
  deploy?: { replicas?: number };
  healthcheck?: { test?: string | string[] };
  restart?: string;
}
interface ComposeDoc {
  services: Record<string, Service>;
}

/** Compose's `${VAR}` syntax: `$$`, `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`, `${NAME?error}`, `${NAME:+alt}`. */
const TEMPLATE = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*)|)/g;

/**
 * Interpolates like Compose, but stricter in one way: a variable that is unset and has no default is an
 * error rather than an empty string, so a shell `$var` that should have been written `$$var` shows up.
 */
function interpolateString(
  text: string,
  vars: Record<string, string>,
  errors: string[],
  where: string,
): string {
  return text.replace(
    TEMPLATE,
    (
      whole,
      escaped: string | undefined,
      braced: string | undefined,
      op: string | undefined,
      arg: string | undefined,
      bare: string | undefined,
    ) => {
      if (escaped !== undefined) return '$';
      const name = braced ?? bare;
      if (name === undefined) {
        errors.push(
          `${where}: invalid template "${whole}" in ${JSON.stringify(text)} (write $$ for a literal $)`,
        );
        return whole;
      }
      const value = vars[name];
      const unset = value === undefined;
      const empty = unset || value === '';
      switch (op) {
        case ':-':
          return empty ? (arg ?? '') : value;
        case '-':
          return unset ? (arg ?? '') : value;
        case ':?':
        case '?':
          if (op === ':?' ? empty : unset) {
            errors.push(`${where}: required variable ${name} is missing (${arg ?? ''})`);
            return '';
          }
          return value as string;
        case ':+':
          return empty ? '' : (arg ?? '');
        case '+':
          return unset ? '' : (arg ?? '');
        default:
          if (unset) errors.push(`${where}: variable ${name} is not set and has no default`);
          return value ?? '';
      }
    },
  );
}

function interpolate(node: unknown, vars: Record<string, string>, errors: string[], where = ''): unknown {
  if (typeof node === 'string') return interpolateString(node, vars, errors, where);
  if (Array.isArray(node)) return node.map((item, i) => interpolate(item, vars, errors, `${where}[${i}]`));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        interpolate(value, vars, errors, where ? `${where}.${key}` : key),
      ]),
    );
  }
  return node;
}

/** Variables written `${NAME:?…}` / `${NAME?…}`: Compose will not start without them. */
function requiredVariables(text: string): Set<string> {
  return new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((m) => m[1] as string));
}

function parseRaw(text: string): unknown {
  return parse(text, { merge: true }) as unknown;
}

/** The file as Compose would see it with every required variable set to a stand-in value. */
function load(text: string): { doc: ComposeDoc; vars: Record<string, string> } {
  const vars = Object.fromEntries(
    [...requiredVariables(text)].map((name) => [name, `test-${name.toLowerCase()}`]),
  );
  const errors: string[] = [];
  const doc = interpolate(parseRaw(text), vars, errors) as ComposeDoc;
  if (errors.length > 0) throw new Error(`docker-compose.yml does not interpolate:\n${errors.join('\n')}`);
  return { doc, vars };
}

function envOf(service: Service | undefined): Record<string, string> {
  const env = service?.environment;
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function dependsOn(service: Service): Record<string, string | undefined> {
  const deps = service.depends_on;
  if (deps === undefined) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, spec]) => [name, spec.condition]));
}

/** `[published, target]` pairs; published is undefined when Docker picks the host port. */
function portsOf(service: Service): Array<[string | undefined, string]> {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object')
      return [port.published === undefined ? undefined : String(port.published), String(port.target)];
    const parts = String(port)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = parts[parts.length - 1] as string;
    return [parts.length >= 2 ? parts[parts.length - 2] : undefined, target];
  });
}

function words(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/).filter((w) => w !== '');
}

function hostPort(address: string): { host: string; port: string } {
  const url = new URL(`grpc://${address}`);
  return { host: url.hostname, port: url.port };
}

function mustService(doc: ComposeDoc, name: string, problems: string[]): Service | undefined {
  const service = doc.services[name];
  if (service === undefined) problems.push(`no service "${name}"`);
  return service;
}

// ---- the checks ------------------------------------------------------------------------------

function checkServicesExist(doc: ComposeDoc): string[] {
  return SERVICES.filter((name) => doc.services[name] === undefined).map((name) => `no service "${name}"`);
}

function checkTemporalUsesPostgres(doc: ComposeDoc): string[] {
  const problems: string[] = [];
  const temporal = mustService(doc, 'temporal', problems);
  const postgres = mustService(doc, 'postgres', problems);
  if (!temporal || !postgres) return problems;
  const env = envOf(temporal);
  const pgEnv = envOf(postgres);
  if (!postgres.image?.startsWith('postgres:'))
    problems.push(`postgres runs ${postgres.image}, not a postgres image`);
  if (!temporal.image?.startsWith('temporalio/'))
    problems.push(`temporal runs ${temporal.image}, not a Temporal server image`);
  if (!/^postgres(12)?$/.test(env.DB ?? '')) problems.push(`temporal DB is "${env.DB}", not postgres12`);
  if (env.POSTGRES_SEEDS !== 'postgres')
    problems.push(`temporal POSTGRES_SEEDS is "${env.POSTGRES_SEEDS}", not the postgres service`);
  if (env.DB_PORT !== '5432') problems.push(`temporal DB_PORT is "${env.DB_PORT}", not 5432`);
  if (env.POSTGRES_USER !== (pgEnv.POSTGRES_USER ?? 'postgres'))
    problems.push('temporal POSTGRES_USER is not the postgres service user');
  if (env.POSTGRES_PWD === undefined || env.POSTGRES_PWD !== pgEnv.POSTGRES_PASSWORD)
    problems.push('temporal POSTGRES_PWD is not the postgres service password');
  if (dependsOn(temporal).postgres !== 'service_healthy')
    problems.push('temporal does not wait for postgres to be healthy');
  return problems;
}

function checkTemporalUi(doc: ComposeDoc): string[] {
  const problems: string[] = [];
  const ui = mustService(doc, 'temporal-ui', problems);
  const api = mustService(doc, 'sojourn-api', problems);
  if (!ui || !api) return problems;
  const env = envOf(ui);
  if (!ui.image?.startsWith('temporalio/ui')) problems.push(`temporal-ui runs ${ui.image}`);
  if (env.TEMPORAL_ADDRESS !== 'temporal:7233')
    problems.push(`temporal-ui TEMPORAL_ADDRESS is "${env.TEMPORAL_ADDRESS}", not temporal:7233`);
  const codec = env.TEMPORAL_CODEC_ENDPOINT;
  if (codec === undefined || codec === '') {
    problems.push('temporal-ui has no TEMPORAL_CODEC_ENDPOINT');
  } else {
    // The browser calls it, so it must be the API's published address, not a container name.
    const url = new URL(codec);
    const published = portsOf(api).map(([p]) => p);
    // `/codec`, or `/codec/t/<token>` with the API's codec token (the UI cannot send an API key).
    const token = /^\/codec\/t\/([^/]+)$/.exec(url.pathname)?.[1];
    if (url.pathname !== '/codec' && token === undefined)
      problems.push(`codec endpoint ${codec} is not the API's /codec`);
    if (token !== undefined && token !== envOf(api).SOJOURN_CODEC_TOKEN)
      problems.push(`codec endpoint token is not the API's SOJOURN_CODEC_TOKEN`);
    if (!['localhost', '127.0.0.1'].includes(url.hostname))
      problems.push(`codec endpoint host ${url.hostname} is not what a browser on this machine reaches`);
    if (!published.includes(url.port || '80'))
      problems.push(
        `codec endpoint port ${url.port} is not a port the API publishes (${published.join(', ')})`,
      );
  }
  if (!portsOf(ui).some(([published, target]) => published === '8233' && target === '8080'))
    problems.push('temporal-ui is not published on 8233');
  return problems;
}

function checkAppWiring(doc: ComposeDoc): string[] {
  const problems: string[] = [];
  const temporalEnv = envOf(doc.services.temporal);
  const pgEnv = envOf(doc.services.postgres);
  for (const name of APP_SERVICES) {
    const service = mustService(doc, name, problems);
    if (!service) continue;
    const env = envOf(service);
    const temporal = hostPort(env.TEMPORAL_ADDRESS ?? '');
    if (temporal.host !== 'temporal' || temporal.port !== '7233')
      problems.push(`${name} TEMPORAL_ADDRESS "${env.TEMPORAL_ADDRESS}" is not temporal:7233`);
    if ((env.TEMPORAL_NAMESPACE ?? 'default') !== (temporalEnv.DEFAULT_NAMESPACE ?? 'default'))
      problems.push(`${name} uses a namespace the temporal service does not create`);
    if (env.NODE_ENV !== 'production') problems.push(`${name} NODE_ENV is "${env.NODE_ENV}", not production`);
    let db: URL | undefined;
    try {
      db = new URL(env.DATABASE_URL ?? '');
    } catch {
      problems.push(`${name} DATABASE_URL "${env.DATABASE_URL}" is not a URL`);
    }
    if (db) {
      if (!/^postgres(ql)?:$/.test(db.protocol)) problems.push(`${name} DATABASE_URL is not a postgres URL`);
      if (db.hostname !== 'postgres' || (db.port || '5432') !== '5432')
        problems.push(`${name} DATABASE_URL points at ${db.host}, not the postgres service`);
      const database = db.pathname.slice(1);
      const temporalDbs = [
        temporalEnv.DBNAME ?? 'temporal',
        temporalEnv.VISIBILITY_DBNAME ?? 'temporal_visibility',
      ];
      if (temporalDbs.includes(database)) problems.push(`${name} shares Temporal's database "${database}"`);
      if (database !== pgEnv.POSTGRES_DB)
        problems.push(
          `${name} database "${database}" is not the one the postgres service creates (${pgEnv.POSTGRES_DB})`,
        );
      if (decodeURIComponent(db.username) !== (pgEnv.POSTGRES_USER ?? 'postgres'))
        problems.push(`${name} connects as "${db.username}", not the postgres service user`);
      const password = db.password !== '' ? decodeURIComponent(db.password) : env.PGPASSWORD;
      if (password !== pgEnv.POSTGRES_PASSWORD)
        problems.push(
          `${name} has no password for PostgreSQL (in DATABASE_URL or PGPASSWORD) matching the postgres service`,
        );
    }
    const deps = dependsOn(service);
    if (deps.postgres !== 'service_healthy')
      problems.push(`${name} does not wait for postgres to be healthy`);
    if (deps.temporal === undefined) problems.push(`${name} does not depend on temporal`);
  }
  const api = doc.services['sojourn-api'];
  if (api) {
    const env = envOf(api);
    const port = env.PORT ?? '3000';
    if (!portsOf(api).some(([published, target]) => published === '3000' && target === port))
      problems.push(`sojourn-api does not publish 3000 to its PORT ${port}`);
    if (env.HOST !== '0.0.0.0')
      problems.push(
        `sojourn-api HOST is "${env.HOST}": it would listen on loopback only, unreachable through the published port`,
      );
  }
  return problems;
}

function checkDependencies(doc: ComposeDoc): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    for (const [dep, condition] of Object.entries(dependsOn(service))) {
      const target = doc.services[dep];
      if (target === undefined) {
        problems.push(`${name} depends on "${dep}", which is not a service`);
        continue;
      }
      if (condition === 'service_healthy' && target.healthcheck === undefined)
        problems.push(`${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
      if (condition === undefined && target.healthcheck !== undefined)
        problems.push(`${name} starts with ${dep} without waiting for its healthcheck`);
      if (condition === 'service_completed_successfully' && target.restart !== 'no')
        problems.push(`${name} waits for ${dep} to complete, but ${dep} restarts`);
    }
  }
  return problems;
}

/** Names in `const REQUIRED_ENV… = ['A', 'B']` arrays of an entry file. */
function requiredByEntry(file: string): string[] {
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return [...source.matchAll(/const REQUIRED_ENV\w* = \[([^\]]*)\]/g)].flatMap((m) =>
    [...(m[1] as string).matchAll(/'([A-Z0-9_]+)'/g)].map((n) => n[1] as string),
  );
}

function checkSecrets(doc: ComposeDoc, rawText: string): string[] {
  const problems: string[] = [];
  const raw = parseRaw(rawText) as ComposeDoc;
  const required = requiredVariables(rawText);
  for (const name of APP_SERVICES) {
    const env = envOf(doc.services[name]);
    const rawEnv = envOf(raw.services?.[name]);
    const needed = new Set([...SECRETS_BY_SERVICE[name], ...requiredByEntry(ENTRY_FILES[name])]);
    for (const variable of needed) {
      if ((env[variable] ?? '') === '')
        problems.push(`${name} does not set ${variable}, which ${ENTRY_FILES[name]} requires`);
    }
    // Secrets come from the operator's environment: no default in the file, and Compose refuses to start without them.
    for (const secret of SECRETS_BY_SERVICE[name]) {
      const template = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/.exec(rawEnv[secret] ?? '');
      if (template === null)
        problems.push(
          `${name} ${secret} is "${rawEnv[secret]}", not a required \${VAR:?…} from the environment`,
        );
      else if (!required.has(template[1] as string)) problems.push(`${name} ${secret} is not required`);
    }
  }
  return problems;
}

function checkWorkerScalable(doc: ComposeDoc): string[] {
  const problems: string[] = [];
  const worker = mustService(doc, 'sojourn-worker', problems);
  if (!worker) return problems;
  if (worker.container_name !== undefined)
    problems.push('sojourn-worker has a container_name, so it cannot scale');
  const fixed = portsOf(worker).filter(([published]) => published !== undefined);
  if (fixed.length > 0)
    problems.push(
      `sojourn-worker publishes fixed host ports (${fixed.map(([p]) => p).join(', ')}), so a second replica cannot start`,
    );
  if ((worker.deploy?.replicas ?? 1) < 2) problems.push('sojourn-worker does not run several replicas');
  return problems;
}

function checkImageAndCommands(doc: ComposeDoc): string[] {
  const problems: string[] = [];
  const dockerfilePath = path.join(ROOT, 'Dockerfile');
  if (!fs.existsSync(dockerfilePath)) return ['no Dockerfile'];
  const dockerfile = fs.readFileSync(dockerfilePath, 'utf8');
  if (!/^FROM node:20-bookworm-slim\b/m.test(dockerfile))
    problems.push('Dockerfile is not based on node:20-bookworm-slim');
  const entrypointLine = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile);
  const entrypoint = entrypointLine ? (JSON.parse(entrypointLine[1] as string) as string[]) : [];
  for (const name of APP_SERVICES) {
    const service = doc.services[name];
    if (!service) continue;
    const context = typeof service.build === 'string' ? service.build : service.build?.context;
    if (context === undefined || path.resolve(ROOT, context) !== ROOT)
      problems.push(`${name} is not built from this repository`);
    const argv = [
      ...(service.entrypoint === undefined ? entrypoint : words(service.entrypoint)),
      ...words(service.command),
    ];
    const scripts = argv.filter((arg) => arg.endsWith('.ts'));
    if (scripts.length !== 1) {
      problems.push(`${name} runs "${argv.join(' ')}", not one TypeScript entry file`);
      continue;
    }
    const script = scripts[0] as string;
    if (script !== ENTRY_FILES[name]) problems.push(`${name} runs ${script}, not ${ENTRY_FILES[name]}`);
    if (!fs.existsSync(path.join(ROOT, script)))
      problems.push(`${name} runs ${script}, which does not exist`);
    if (!argv.includes('tsx') && !argv.some((arg) => arg.endsWith('/tsx')))
      problems.push(`${name} runs ${script} without tsx`);
  }
  const ignore = fs.existsSync(path.join(ROOT, '.dockerignore'))
    ? fs
        .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
        .split('\n')
        .map((l) => l.trim())
    : [];
  for (const entry of ['node_modules', '.data', '.git']) {
    if (!ignore.includes(entry) && !ignore.includes(`${entry}/`))
      problems.push(`.dockerignore does not exclude ${entry}`);
  }
  return problems;
}

/** `--name X --type Y` pairs in the commands of services that run the temporal CLI. */
function registeredSearchAttributes(doc: ComposeDoc): Map<string, string> {
  const found = new Map<string, string>();
  for (const service of Object.values(doc.services)) {
    const script = words(service.command).join(' ');
    for (const line of script.split(/\n|&&/)) {
      if (!/search-attribute create/.test(line)) continue;
      const names = [...line.matchAll(/--name[ =]"?(\w+)/g)].map((m) => m[1] as string);
      const type = /--type[ =]"?(\w+)/.exec(line)?.[1];
      for (const name of names) if (type !== undefined) found.set(name, type);
    }
    // A helper like `register --name X --type Y` that forwards to `search-attribute create "$@"`.
    const helper = /(\w+)\(\)\s*\{[^}]*search-attribute create[^}]*"\$@"/.exec(script)?.[1];
    if (helper !== undefined) {
      for (const call of script.matchAll(new RegExp(`(?:^|\\s|&&)${helper} ([^&\\n]*)`, 'g'))) {
        const args = call[1] as string;
        const type = /--type[ =]"?(\w+)/.exec(args)?.[1];
        for (const m of args.matchAll(/--name[ =]"?(\w+)/g))
          if (type !== undefined) found.set(m[1] as string, type);
      }
    }
  }
  return found;
}

function checkSearchAttributes(doc: ComposeDoc): string[] {
  const problems: string[] = [];
  const found = registeredSearchAttributes(doc);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
    if (found.get(name) !== type)
      problems.push(
        `search attribute ${name} (${type}) is not registered (found ${found.get(name) ?? 'nothing'})`,
      );
  }
  // The app starts only once they exist: every app service waits for the one-shot that registers them.
  const setup = Object.entries(doc.services).find(([, s]) =>
    /search-attribute create/.test(words(s.command).join(' ')),
  )?.[0];
  if (setup === undefined) return problems;
  for (const name of APP_SERVICES) {
    if (dependsOn(doc.services[name] ?? {})[setup] !== 'service_completed_successfully')
      problems.push(`${name} does not wait for ${setup} to register the search attributes`);
  }
  return problems;
}

// ---- the tests -------------------------------------------------------------------------------

const rawText = fs.readFileSync(COMPOSE_FILE, 'utf8');
const { doc } = load(rawText);

/** A deep copy of the interpolated file, changed by `edit`. */
function mutated(edit: (copy: ComposeDoc) => void): ComposeDoc {
  const copy = structuredClone(doc);
  edit(copy);
  return copy;
}

function setEnv(copy: ComposeDoc, service: string, name: string, value: string | undefined): void {
  const env = envOf(copy.services[service]);
  if (value === undefined) delete env[name];
  else env[name] = value;
  (copy.services[service] as Service).environment = env;
}

describe('docker-compose.yml', () => {
  test('parses and interpolates, with no unescaped $ and no variable left without a default', () => {
    expect(Object.keys(doc.services).length).toBeGreaterThanOrEqual(SERVICES.length);
  });

  test('the five services exist', () => {
    expect(checkServicesExist(doc)).toEqual([]);
    expect(checkServicesExist(mutated((c) => delete c.services['temporal-ui']))).toEqual([
      'no service "temporal-ui"',
    ]);
  });

  test('temporal is backed by the postgres service', () => {
    expect(checkTemporalUsesPostgres(doc)).toEqual([]);
    expect(
      checkTemporalUsesPostgres(mutated((c) => setEnv(c, 'temporal', 'POSTGRES_SEEDS', 'db.example.com'))),
    ).not.toEqual([]);
    expect(
      checkTemporalUsesPostgres(mutated((c) => setEnv(c, 'temporal', 'POSTGRES_PWD', 'other'))),
    ).not.toEqual([]);
    expect(
      checkTemporalUsesPostgres(mutated((c) => delete (c.services.temporal as Service).depends_on)),
    ).not.toEqual([]);
  });

  test('temporal-ui talks to temporal:7233 and decodes through the API codec endpoint', () => {
    expect(checkTemporalUi(doc)).toEqual([]);
    expect(
      checkTemporalUi(mutated((c) => setEnv(c, 'temporal-ui', 'TEMPORAL_ADDRESS', 'localhost:7233'))),
    ).not.toEqual([]);
    expect(
      checkTemporalUi(mutated((c) => setEnv(c, 'temporal-ui', 'TEMPORAL_CODEC_ENDPOINT', undefined))),
    ).not.toEqual([]);
    // A container name is unreachable from the browser that calls the codec endpoint.
    expect(
      checkTemporalUi(
        mutated((c) => setEnv(c, 'temporal-ui', 'TEMPORAL_CODEC_ENDPOINT', 'http://sojourn-api:3000/codec')),
      ),
    ).not.toEqual([]);
    expect(
      checkTemporalUi(
        mutated((c) => setEnv(c, 'temporal-ui', 'TEMPORAL_CODEC_ENDPOINT', 'http://localhost:3000/codec/t/wrong')),
      ),
    ).toContain("codec endpoint token is not the API's SOJOURN_CODEC_TOKEN");
  });

  test('worker and API reach Temporal and their own PostgreSQL database; the API publishes 3000', () => {
    expect(checkAppWiring(doc)).toEqual([]);
    expect(
      checkAppWiring(mutated((c) => setEnv(c, 'sojourn-worker', 'TEMPORAL_ADDRESS', '127.0.0.1:7233'))),
    ).not.toEqual([]);
    expect(
      checkAppWiring(
        mutated((c) => setEnv(c, 'sojourn-api', 'DATABASE_URL', 'postgres://sojourn@localhost:5432/sojourn')),
      ),
    ).not.toEqual([]);
    expect(
      checkAppWiring(
        mutated((c) => setEnv(c, 'sojourn-api', 'DATABASE_URL', 'postgres://sojourn@postgres:5432/temporal')),
      ),
    ).not.toEqual([]);
    expect(checkAppWiring(mutated((c) => setEnv(c, 'sojourn-worker', 'PGPASSWORD', undefined)))).not.toEqual(
      [],
    );
    expect(checkAppWiring(mutated((c) => setEnv(c, 'sojourn-api', 'HOST', undefined)))).not.toEqual([]);
    expect(
      checkAppWiring(mutated((c) => ((c.services['sojourn-api'] as Service).ports = ['8080:3000']))),
    ).not.toEqual([]);
  });

  test('every depends_on names an existing service, waiting on its healthcheck where it has one', () => {
    expect(checkDependencies(doc)).toEqual([]);
    expect(
      checkDependencies(
        mutated((c) => ((c.services['sojourn-api'] as Service).depends_on = ['temporal', 'postgresql'])),
      ),
    ).toContain('sojourn-api depends on "postgresql", which is not a service');
    expect(
      checkDependencies(mutated((c) => delete (c.services.postgres as Service).healthcheck)),
    ).not.toEqual([]);
  });

  test('every variable the app requires in production is set, secrets only from the environment', () => {
    expect(checkSecrets(doc, rawText)).toEqual([]);
    expect(
      checkSecrets(
        mutated((c) => setEnv(c, 'sojourn-worker', 'SOJOURN_SECRET_KEY', undefined)),
        rawText,
      ),
    ).not.toEqual([]);
    expect(
      checkSecrets(
        mutated((c) => setEnv(c, 'sojourn-api', 'DATABASE_URL', undefined)),
        rawText,
      ),
    ).not.toEqual([]);
    const withDefault = rawText.replace(
      /\$\{SOJOURN_WRITE_KEY:\?[^}]*\}/,
      '${SOJOURN_WRITE_KEY:-dev-write-key}',
    );
    expect(withDefault).not.toBe(rawText);
    expect(checkSecrets(load(withDefault).doc, withDefault)).toContain(
      'sojourn-api SOJOURN_WRITE_KEY is "${SOJOURN_WRITE_KEY:-dev-write-key}", not a required ${VAR:?…} from the environment',
    );
  });

  test('Compose refuses to start without the secrets', () => {
    const errors: string[] = [];
    interpolate(parseRaw(rawText), {}, errors);
    for (const name of ['POSTGRES_PASSWORD', 'SOJOURN_SECRET_KEY', 'SOJOURN_CODEC_KEY', 'SOJOURN_CODEC_TOKEN', 'SOJOURN_API_KEY', 'SOJOURN_WRITE_KEY']) {
      expect(errors.some((e) => e.includes(`required variable ${name} `))).toBe(true);
    }
    // and the stricter-than-Compose rule catches a shell variable left unescaped
    expect(() => load(rawText.replace('$$attempt', '$attempt'))).toThrow(/variable attempt is not set/);
  });

  test('the worker scales: no container name, no fixed host port, several replicas', () => {
    expect(checkWorkerScalable(doc)).toEqual([]);
    expect(
      checkWorkerScalable(
        mutated((c) => ((c.services['sojourn-worker'] as Service).container_name = 'sojourn-worker')),
      ),
    ).not.toEqual([]);
    expect(
      checkWorkerScalable(mutated((c) => ((c.services['sojourn-worker'] as Service).ports = ['9464:9464']))),
    ).not.toEqual([]);
    expect(
      checkWorkerScalable(mutated((c) => ((c.services['sojourn-worker'] as Service).ports = ['9464']))),
    ).toEqual([]);
  });

  test('one image from the Dockerfile; the commands run entry files that exist', () => {
    expect(checkImageAndCommands(doc)).toEqual([]);
    expect(
      checkImageAndCommands(
        mutated((c) => ((c.services['sojourn-worker'] as Service).command = ['worker/start.ts'])),
      ),
    ).not.toEqual([]);
    expect(
      checkImageAndCommands(
        mutated((c) => ((c.services['sojourn-api'] as Service).command = ['worker/main.ts'])),
      ),
    ).not.toEqual([]);
  });

  test("registers Sojourn's search attributes before the app starts", () => {
    expect(checkSearchAttributes(doc)).toEqual([]);
    const setup = Object.keys(doc.services).find((name) =>
      /search-attribute create/.test(words(doc.services[name]?.command).join(' ')),
    );
    expect(setup).toBeDefined();
    const withoutStepId = mutated((c) => {
      const service = c.services[setup as string] as Service;
      service.command = words(service.command).map((part) =>
        part.replace(/register --name StepId --type Keyword/, 'true'),
      );
    });
    expect(checkSearchAttributes(withoutStepId)).toEqual([
      'search attribute StepId (Keyword) is not registered (found nothing)',
    ]);
    expect(
      checkSearchAttributes(mutated((c) => delete dependsOnMap(c, 'sojourn-worker')[setup as string])),
    ).not.toEqual([]);
  });
});

function dependsOnMap(copy: ComposeDoc, service: string): Record<string, { condition?: string }> {
  const deps = (copy.services[service] as Service).depends_on;
  if (deps === undefined || Array.isArray(deps)) throw new Error(`${service} depends_on is not a map`);
  return deps;
}
