import { Connection } from '@temporalio/client';
import { Client } from 'pg';
import { SEARCH_ATTRIBUTES } from '../../scripts/stack';
import { stackEnv } from '../helpers/stack-env';

// temporal.api.enums.v1.IndexedValueType numbers, for the CLI type names used in SEARCH_ATTRIBUTES.
const INDEXED_VALUE_TYPE = { Keyword: 2, Int: 3 } as const;

describe('test stack (global setup)', () => {
  const env = stackEnv();

  it('runs a Temporal server with the Sojourn search attributes registered', async () => {
    const connection = await Connection.connect({ address: env.temporalAddress });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toMatch(/^\d+\.\d+/);
      const { customAttributes } = await connection.operatorService.listSearchAttributes({
        namespace: process.env.TEMPORAL_NAMESPACE || 'default',
      });
      for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
        expect([name, customAttributes[name]]).toEqual([name, INDEXED_VALUE_TYPE[type]]);
      }
    } finally {
      await connection.close();
    }
  });

  it('runs PostgreSQL with the database from DATABASE_URL', async () => {
    const client = new Client({ connectionString: env.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ one: number; db: string }>(
        'SELECT 1 AS one, current_database() AS db',
      );
      expect(rows).toEqual([{ one: 1, db: new URL(env.databaseUrl).pathname.slice(1) }]);
    } finally {
      await client.end();
    }
  });

  it('publishes fixed test keys and a data dir', () => {
    expect(env.apiKey).toBe('test-api-key');
    expect(env.writeKey).toBe('test-write-key');
    expect(env.dataDir).not.toBe('');
  });
});
