/**
 * Issue 7, SSRF guard: destination URLs may not reach private, loopback or link-local addresses
 * outside SOJOURN_ALLOWED_NETWORKS, checked when a destination is saved and again when the Actions
 * runtime connects (so a name that resolves to such an address, now or after a DNS change, is
 * refused). Every refusal here happens before a socket connects: no packet leaves for 10.0.0.1 or
 * 169.254.169.254 (a spy on net.Socket#connect proves it).
 */
import http from 'node:http';
import net from 'node:net';
import type { SegmentEvent } from '@segment/actions-core';
import { loadDefinition } from '../../destinations/definitions';
import { runEvent, type DestinationInstance } from '../../destinations/run-event';
import { guardedLookup, GuardedHttpAgent, installEgressGuard } from '../../security/egress/guard';
import { EgressPolicy } from '../../security/egress/policy';
import { checkUrls } from '../../security/egress/url-check';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startSojourn, type TestSojourn } from '../helpers/sojourn';

const LOOPBACK = ['127.0.0.0/8', '::1/128'];
const FORBIDDEN_TARGETS = ['10.0.0.1', '169.254.169.254'];

let receiver: Receiver;
let sojourn: TestSojourn;
let connectSpy: jest.SpyInstance;

/** Where a net.Socket#connect call was pointed: its host and port, whichever argument form it used. */
function targetOf(args: unknown[]): string {
  return args
    .map((arg) => {
      if (Array.isArray(arg)) return targetOf(arg);
      if (arg !== null && typeof arg === 'object') {
        const { host, port, path } = arg as { host?: unknown; port?: unknown; path?: unknown };
        return `${String(host ?? path ?? '')}:${String(port ?? '')}`;
      }
      return typeof arg === 'function' ? '' : String(arg);
    })
    .join(' ');
}

beforeAll(async () => {
  receiver = await startReceiver();
  sojourn = await startSojourn();
});
beforeEach(() => {
  connectSpy = jest.spyOn(net.Socket.prototype, 'connect');
});
afterEach(() => {
  // No socket was ever pointed at a forbidden address, whatever the test did.
  const targets = connectSpy.mock.calls.map((args) => targetOf(args));
  for (const address of FORBIDDEN_TARGETS) expect(targets.filter((t) => t.includes(address))).toEqual([]);
  expect(targets.length).toBeLessThan(50); // the spy did see connections (loopback ones), and not a flood
  connectSpy.mockRestore();
  installEgressGuard(sojourn.config.allowedNetworks); // back to the test stack's allow-list
});
afterAll(async () => {
  await sojourn?.stop();
  await receiver?.close();
});

describe('policy', () => {
  test('private, loopback, link-local and mapped forms are refused unless allowed', () => {
    const strict = new EgressPolicy([]);
    for (const ip of [
      '169.254.169.254',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '127.0.0.1',
      '0.0.0.0',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '::ffff:a9fe:a9fe',
      '[::1]',
    ]) {
      expect([ip, strict.refusal(ip)]).toEqual([
        ip,
        expect.stringMatching(/private, loopback or link-local|SOJOURN_ALLOWED_NETWORKS/),
      ]);
    }
    for (const ip of ['93.184.216.34', '2606:2800:220:1::1', '8.8.8.8'])
      expect(strict.refusal(ip)).toBeUndefined();
    const allowing = new EgressPolicy(['10.0.0.0/8', '::1/128']);
    expect(allowing.refusal('10.0.0.1')).toBeUndefined();
    expect(allowing.refusal('::1')).toBeUndefined();
    expect(allowing.refusal('169.254.169.254')).toBeDefined();
    expect(() => new EgressPolicy(['not-a-network'])).toThrow(/SOJOURN_ALLOWED_NETWORKS/);
  });

  test('save-time URL check: literals, encoded literals and names resolving to a forbidden address', async () => {
    const strict = new EgressPolicy([]);
    const found = await checkUrls(
      {
        metadata: 'http://169.254.169.254/latest/meta-data',
        nested: [{ url: 'http://10.0.0.1/' }],
        decimal: 'http://2852039166/', // 169.254.169.254 written as one number
        name: 'http://localhost:8080/hook', // resolves to 127.0.0.1
        fine: 'https://hooks.example.com/x', // does not resolve here: left to the connect-time guard
        template: 'https://{{properties.host}}/x',
      },
      strict,
    );
    expect(found.map((p) => p.path).sort()).toEqual(['decimal', 'metadata', 'name', 'nested[0].url']);
    expect(await checkUrls({ name: 'http://localhost:8080/hook' }, new EgressPolicy(LOOPBACK))).toEqual([]);
  });
});

describe('connect time', () => {
  const get = (url: string, agent: http.Agent) =>
    new Promise<{ status?: number; error?: NodeJS.ErrnoException }>((resolve) => {
      const req = http.get(url, { agent }, (res) => {
        res.resume();
        resolve({ status: res.statusCode });
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ error }));
    });

  test('IP literals outside the allow-list are refused before connecting', async () => {
    const agent = new GuardedHttpAgent(new EgressPolicy(LOOPBACK));
    for (const address of FORBIDDEN_TARGETS) {
      const { error } = await get(`http://${address}/latest/meta-data`, agent);
      expect(error?.code).toBe('EGRESS_REFUSED');
    }
    expect((await get(`${receiver.url}/ok`, agent)).status).toBe(200);
    // The spy sees real connections (this one, to loopback), so its silence about 10.0.0.1 means something.
    expect(connectSpy.mock.calls.map((args) => targetOf(args)).some((t) => t.includes('127.0.0.1'))).toBe(
      true,
    );
    agent.destroy();
  });

  test('a hostname that resolves to a forbidden address is refused (localhost, loopback not allowed)', async () => {
    const before = receiver.received.length;
    const agent = new GuardedHttpAgent(new EgressPolicy([]));
    const port = new URL(receiver.url).port;
    const { error } = await get(`http://localhost:${port}/should-not-arrive`, agent);
    expect(error?.code).toBe('EGRESS_REFUSED');
    expect(error?.message).toMatch(/localhost/);
    expect(receiver.received.length).toBe(before);
    agent.destroy();
  });

  test('DNS rebinding: the lookup the socket uses refuses a name that now resolves to the metadata address', async () => {
    // A resolver that answers like an attacker's DNS server after the save-time check passed.
    const rebinding = ((
      _host: string,
      _options: unknown,
      callback: (e: null, a: Array<{ address: string; family: number }>) => void,
    ) =>
      callback(null, [
        { address: '169.254.169.254', family: 4 },
      ])) as unknown as typeof import('node:dns').lookup;
    const lookup = guardedLookup(new EgressPolicy(LOOPBACK), rebinding);
    const error = await new Promise<Error | null>((resolve) =>
      lookup('rebind.example.com', { all: true }, (e) => resolve(e)),
    );
    expect(error?.message).toMatch(/rebind\.example\.com.*169\.254\.169\.254/);
  });
});

describe('through the Segment Actions runtime (what deliveries use)', () => {
  const event: SegmentEvent = {
    type: 'track',
    event: 'Probe',
    userId: 'u_ssrf',
    messageId: 'm_ssrf',
    timestamp: new Date().toISOString(),
  };
  const webhookTo = (url: string): DestinationInstance => ({
    id: 'dst_ssrf',
    slug: 'webhook',
    definition: loadDefinition('webhook') as NonNullable<ReturnType<typeof loadDefinition>>,
    settings: {},
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: { url, method: 'POST', data: { '@path': '$.' } },
      },
    ],
  });

  test('webhooks to http://169.254.169.254/ and http://10.0.0.1/ fail as refused, not retried', async () => {
    installEgressGuard(LOOPBACK);
    for (const url of ['http://169.254.169.254/latest/meta-data/iam', 'http://10.0.0.1/']) {
      const [outcome] = await runEvent(webhookTo(url), event);
      expect(outcome?.status).toBe('failed');
      expect(outcome?.failure).toMatchObject({ retryable: false, code: 'EGRESS_REFUSED' });
    }
  });

  test('a webhook to a name resolving to a forbidden address is refused; allowed, it is delivered', async () => {
    const port = new URL(receiver.url).port;
    installEgressGuard([]);
    const before = receiver.received.length;
    const [refused] = await runEvent(webhookTo(`http://localhost:${port}/ssrf`), event);
    expect(refused?.failure?.code).toBe('EGRESS_REFUSED');
    expect(receiver.received.length).toBe(before);
    installEgressGuard(LOOPBACK);
    const [delivered] = await runEvent(webhookTo(`http://localhost:${port}/ssrf`), event);
    expect(delivered?.status).toBe('delivered');
  });
});

describe('save time: POST /v1/destinations', () => {
  const hook = (url: string) => ({
    name: 'SSRF',
    destination: 'webhook',
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: { url, method: 'POST', data: { '@path': '$.' } },
      },
    ],
  });

  test.each([
    'http://169.254.169.254/',
    'http://10.0.0.1/',
    'http://[::ffff:169.254.169.254]/',
    'http://0x0a000001/',
  ])('%s → 400 unsafe_url, nothing stored', async (url) => {
    const { rows: before } = await sojourn.db.query('SELECT count(*)::int AS n FROM destinations');
    const res = await sojourn.call('POST', '/v1/destinations', hook(url));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('unsafe_url');
    expect(res.body.error.issues[0].path).toBe('subscriptions[0].mapping.url');
    const { rows: after } = await sojourn.db.query('SELECT count(*)::int AS n FROM destinations');
    expect(after[0].n).toBe(before[0].n);
  });

  test('loopback is accepted where SOJOURN_ALLOWED_NETWORKS allows it (the test stack does)', async () => {
    expect((await sojourn.call('POST', '/v1/destinations', hook(`${receiver.url}/ok`))).status).toBe(201);
  });
});
