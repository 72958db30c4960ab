import dns from 'node:dns/promises';
import net from 'node:net';
import type { EgressPolicy } from './policy';

const LOOKUP_TIMEOUT_MS = 2_000;

export interface UrlProblem {
  path: string;
  url: string;
  reason: string;
}

/** Every string under `value` that is an absolute http(s) URL, with where it was found. */
export function findUrls(value: unknown, path = ''): Array<{ path: string; url: URL }> {
  if (typeof value === 'string') {
    if (!/^\s*https?:\/\//i.test(value)) return [];
    try {
      return [{ path, url: new URL(value.trim()) }];
    } catch {
      return []; // a template such as "https://{{properties.host}}/x": checked when it is used
    }
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findUrls(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => findUrls(item, path ? `${path}.${key}` : key));
  }
  return [];
}

async function resolveAll(hostname: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), LOOKUP_TIMEOUT_MS);
  });
  const lookup = dns.lookup(hostname, { all: true, verbatim: true }).then(
    (found) => found.map((a) => a.address),
    () => [] as string[], // unresolvable today: the connect-time guard decides when it resolves
  );
  try {
    return await Promise.race([lookup, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Save-time check of user-supplied URLs: an IP literal or a name that resolves (now) to a forbidden
 * address is refused. A name that does not resolve is accepted; the connect-time guard
 * (`guard.ts`) checks again on every connection, which also covers DNS rebinding.
 */
export async function checkUrls(value: unknown, policy: EgressPolicy, basePath = ''): Promise<UrlProblem[]> {
  const problems: UrlProblem[] = [];
  for (const { path, url } of findUrls(value, basePath)) {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const addresses = net.isIP(host) ? [host] : await resolveAll(host);
    const refusal = addresses.map((a) => policy.refusal(a)).find((r) => r !== undefined);
    if (refusal)
      problems.push({
        path,
        url: url.toString(),
        reason: net.isIP(host) ? refusal : `${host} resolves to ${refusal}`,
      });
  }
  return problems;
}
