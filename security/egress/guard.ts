import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { EgressPolicy, EgressRefusedError } from './policy';

/**
 * Connect-time SSRF guard. The Segment Actions runtime sends its requests with `cross-fetch`, which on
 * Node is `node-fetch` v2 on top of `http.request` / `https.request` with the global agents. Those
 * agents are replaced here by ones that (a) refuse an IP-literal host outside the policy and (b) hand
 * the socket a DNS lookup that refuses names resolving to such an address. The check happens on the
 * address the socket then connects to, so a name that resolved to a public address at save time and
 * to 169.254.169.254 now (DNS rebinding) is still refused, and so is every redirect hop. Nothing is
 * sent: the refusal comes before the socket connects.
 */
type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

export function guardedLookup(policy: EgressPolicy, lookup: typeof dns.lookup = dns.lookup) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, options.all ? [] : '');
      const refused = addresses.map((a) => policy.refusal(a.address)).find((r) => r !== undefined);
      if (refused)
        return callback(
          new EgressRefusedError(`refused to connect to ${hostname}: ${refused}`),
          options.all ? [] : '',
        );
      const first = addresses[0];
      if (options.all) return callback(null, addresses);
      if (!first) return callback(new EgressRefusedError(`${hostname} has no address`), '');
      callback(null, first.address, first.family);
    });
  };
}

interface ConnectOptions {
  host?: string | null;
  hostname?: string | null;
  socketPath?: string;
  lookup?: unknown;
}

/** Why this connection may not be made before any lookup, or undefined. */
function preflight(policy: EgressPolicy, options: ConnectOptions): string | undefined {
  if (options.socketPath) return 'refused to connect to a Unix socket';
  const host = (options.host ?? options.hostname ?? 'localhost').replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(host)) {
    const refusal = policy.refusal(host);
    return refusal ? `refused to connect to ${host}: ${refusal}` : undefined;
  }
  return undefined;
}

type CreateConnection = (
  options: object,
  callback: (error: Error | null, socket?: Duplex) => void,
) => Duplex | undefined;

function guardedCreateConnection(policy: EgressPolicy, original: CreateConnection): CreateConnection {
  const lookup = guardedLookup(policy);
  return function (this: unknown, options, callback) {
    const refusal = preflight(policy, options as ConnectOptions);
    if (refusal) {
      // Asynchronously, as the agent expects: the request then fails with this error, nothing sent.
      process.nextTick(() => callback(new EgressRefusedError(refusal)));
      return undefined;
    }
    return original.call(this, { ...options, lookup }, callback);
  };
}

export class GuardedHttpAgent extends http.Agent {
  constructor(policy: EgressPolicy, options: http.AgentOptions = { keepAlive: true }) {
    super(options);
    // createConnection is how Node's agents open sockets; the typings do not declare it on Agent.
    const self = this as unknown as { createConnection: CreateConnection };
    self.createConnection = guardedCreateConnection(policy, self.createConnection);
  }
}

export class GuardedHttpsAgent extends https.Agent {
  constructor(policy: EgressPolicy, options: https.AgentOptions = { keepAlive: true }) {
    super(options);
    const self = this as unknown as { createConnection: CreateConnection };
    self.createConnection = guardedCreateConnection(policy, self.createConnection);
  }
}

let installed: EgressPolicy | undefined;

/**
 * Makes the guard the process's default for `http`/`https` requests (what destinations use). Called
 * by the worker and the API (the event tester runs destinations in the API process). The last call
 * wins: a process has one deployment's allow-list.
 */
export function installEgressGuard(allowedNetworks: readonly string[]): EgressPolicy {
  const policy = new EgressPolicy(allowedNetworks);
  http.globalAgent = new GuardedHttpAgent(policy);
  https.globalAgent = new GuardedHttpsAgent(policy);
  installed = policy;
  return policy;
}

export function installedEgressPolicy(): EgressPolicy | undefined {
  return installed;
}
