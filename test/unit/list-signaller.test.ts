import type { Client } from '@temporalio/client';
import { ListSignaller } from '../../activities/list-signaller';
import type { ListMembersAdded } from '../../workflows/list-types';

const LIST = { destinationId: 'dst_1', externalId: 'aud_1', audienceKey: 'j_o_a__b_abc123' };
const SETTINGS = { batchSize: 100, flushIntervalMs: 1000 };

/** A stand-in for the Temporal client: records each signal-with-start, answering after `delayMs`. */
function fakeClient(delayMs: number, fail = false) {
  const signals: Array<{ workflowId: string; added: number }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    workflow: {
      async signalWithStart(_type: string, options: { workflowId: string; signalArgs: [ListMembersAdded] }) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, delayMs));
        inFlight--;
        if (fail) throw new Error('temporal unavailable');
        signals.push({ workflowId: options.workflowId, added: options.signalArgs[0].added });
      },
    },
  };
  return { client: client as unknown as Client, signals, maxInFlight: () => maxInFlight };
}

test('announcements arriving together share one signal; one signal in flight per list, the rest summed into the next', async () => {
  const fake = fakeClient(80);
  const signaller = new ListSignaller(fake.client);
  const first = Array.from({ length: 50 }, () => signaller.announce(LIST, 'q', SETTINGS, 1));
  await new Promise((r) => setTimeout(r, 70)); // the first signal is in flight
  const second = Array.from({ length: 50 }, () => signaller.announce(LIST, 'q', SETTINGS, 2));
  await Promise.all([...first, ...second]);
  expect(fake.maxInFlight()).toBe(1);
  expect(fake.signals.map((s) => s.added)).toEqual([50, 100]);
  expect(new Set(fake.signals.map((s) => s.workflowId))).toEqual(new Set(['list:dst_1:aud_1']));
});

test('lists do not wait for each other', async () => {
  const fake = fakeClient(30);
  const signaller = new ListSignaller(fake.client);
  await Promise.all([
    signaller.announce(LIST, 'q', SETTINGS, 1),
    signaller.announce({ ...LIST, externalId: 'aud_2' }, 'q', SETTINGS, 1),
  ]);
  expect(fake.maxInFlight()).toBe(2);
});

test('a failed signal rejects the callers it carried, so their activities retry', async () => {
  const fake = fakeClient(1, true);
  const signaller = new ListSignaller(fake.client);
  await expect(signaller.announce(LIST, 'q', SETTINGS, 1)).rejects.toThrow('temporal unavailable');
});
