import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { SojournConfig } from '../config/env';
import { createPool } from '../db/pool';
import { codecTokenFor, payloadCodecFor } from '../security/codec-keys';
import { dataConverterFor } from '../security/data-converter';
import { installEgressGuard } from '../security/egress/guard';
import { secretBoxFor } from '../security/keys';
import { createApp } from './app';

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

export type ApiConfig = SojournConfig & {
  temporalAddress: string;
  databaseUrl: string;
  apiKey: string;
  writeKey: string;
};

/** Starts the HTTP API (port 0 picks a free one) and returns its URL. */
export async function startApiServer(config: ApiConfig): Promise<RunningApi> {
  const connection = await Connection.connect({ address: config.temporalAddress });
  // Every payload this client writes (workflow inputs, signals) is encrypted (SPEC §6).
  const codec = payloadCodecFor(config);
  const temporal = new Client({
    connection,
    namespace: config.temporalNamespace,
    dataConverter: dataConverterFor(config, codec),
  });
  const db = createPool(config.databaseUrl);
  installEgressGuard(config.allowedNetworks); // the event tester runs destinations in this process
  const app = createApp({
    db,
    temporal,
    config,
    secretBox: secretBoxFor(config),
    apiKey: config.apiKey,
    writeKey: config.writeKey,
    codec,
    codecToken: codecTokenFor(config),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    // Slow clients: headers within 10 s, the whole request within 30 s, else Node answers 408.
    s.headersTimeout = 10_000;
    s.requestTimeout = 30_000;
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await connection.close();
      await db.end();
    },
  };
}
