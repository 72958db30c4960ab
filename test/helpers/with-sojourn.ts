import type { SojournConfig } from '../../config/env';
import { startReceiver, type Receiver } from './receiver';
import { startSojourn, type TestSojourn } from './sojourn';

/**
 * A receiving server and a Sojourn for one test file: started before its tests and stopped after
 * them, Sojourn first so nothing is still delivering when the receiver closes. `ready` hands both over.
 */
export function useSojournWithReceiver(
  ready: (sojourn: TestSojourn, receiver: Receiver) => void,
  overrides: Partial<SojournConfig> = {},
): void {
  let sojourn: TestSojourn | undefined;
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    receiver = await startReceiver();
    sojourn = await startSojourn(overrides);
    ready(sojourn, receiver);
  });
  afterAll(async () => {
    await sojourn?.stop();
    await receiver?.close();
  });
}
