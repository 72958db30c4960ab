/**
 * Stored API keys and write keys from the command line (the admin endpoint is `/v1/keys`):
 *
 *   tsx scripts/keys.ts create management "CI"      # prints the key once
 *   tsx scripts/keys.ts create write "web app"
 *   tsx scripts/keys.ts list
 *   tsx scripts/keys.ts revoke key_…
 *   tsx scripts/keys.ts reseal-secrets              # after rotating SOJOURN_SECRET_KEY
 *
 * Uses DATABASE_URL, else the dev stack's embedded PostgreSQL (`npm start` must be running).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { resealDestinationSecrets } from '../security/reseal';
import { KeyStore } from '../security/api-keys';
import { secretBoxFor } from '../security/keys';
import { PG } from './stack';

const USAGE =
  'usage: tsx scripts/keys.ts create <management|write> <name> | list | revoke <key id> | reseal-secrets';

function databaseUrl(): string {
  const config = loadConfig();
  if (config.databaseUrl) return config.databaseUrl;
  const portFile = path.join(config.dataDir, 'pg.port');
  if (!fs.existsSync(portFile))
    throw new Error(
      'DATABASE_URL is unset and no dev stack was found: run `npm start` first or set DATABASE_URL',
    );
  const port = Number(fs.readFileSync(portFile, 'utf8').trim());
  return `postgres://${PG.user}:${PG.password}@127.0.0.1:${port}/${PG.database}`;
}

export async function runKeysCommand(
  argv: string[],
  url: string,
  print: (line: string) => void,
): Promise<number> {
  const [command, ...args] = argv;
  await migrate(url);
  const db = createPool(url, 2);
  try {
    const store = new KeyStore(db);
    if (command === 'create') {
      const [kind, ...nameParts] = args;
      const name = nameParts.join(' ').trim();
      if ((kind !== 'management' && kind !== 'write') || name === '') {
        print(USAGE);
        return 2;
      }
      const created = await store.create(kind, name);
      print(`created ${created.kind} key ${created.id} "${created.name}"`);
      print(`key: ${created.key}`);
      print('(shown once: store it now)');
      return 0;
    }
    if (command === 'list') {
      const keys = await store.list();
      if (keys.length === 0)
        print('no stored keys (the SOJOURN_API_KEY / SOJOURN_WRITE_KEY bootstrap keys are not listed)');
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${new Date(k.revokedAt).toISOString()}` : 'live';
        print(`${k.id}  ${k.kind.padEnd(10)}  ${k.prefix}…  ${state}  "${k.name}"`);
      }
      return 0;
    }
    if (command === 'revoke' && args[0]) {
      const row = await store.revoke(args[0]);
      if (!row) {
        print(`no key ${args[0]}`);
        return 1;
      }
      print(`revoked ${row.id} "${row.name}"`);
      return 0;
    }
    if (command === 'reseal-secrets') {
      const count = await resealDestinationSecrets(db, secretBoxFor(loadConfig()));
      print(`re-sealed the secret settings of ${count} destination(s) with the current SOJOURN_SECRET_KEY`);
      return 0;
    }
    print(USAGE);
    return 2;
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  runKeysCommand(process.argv.slice(2), databaseUrl(), (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
