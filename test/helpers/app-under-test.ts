import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { codecTokenFor, payloadCodecFor } from '../../security/codec-keys';
import { secretBoxFor } from '../../security/keys';
import type { TestSojourn } from './sojourn';

export interface AppUnderTest {
  app: Express;
  url: string;
  deps: ApiDeps;
  close(): Promise<void>;
}

/**
 * The API's Express app built exactly as the server builds it, listening on loopback, so a test can
 * both walk its router and call every route it finds.
 */
export async function startAppUnderTest(sojourn: TestSojourn): Promise<AppUnderTest> {
  const { config } = sojourn;
  const deps: ApiDeps = {
    db: sojourn.db,
    temporal: sojourn.temporal,
    config,
    secretBox: secretBoxFor(config),
    apiKey: config.apiKey,
    writeKey: config.writeKey,
    codec: payloadCodecFor(config),
    codecToken: codecTokenFor(config),
  };
  const app = createApp(deps, () => undefined);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    app,
    deps,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
