import { EgressPolicy } from '../security/egress/policy';
import { checkUrls } from '../security/egress/url-check';
import { ApiError } from './errors';

const policies = new Map<string, EgressPolicy>();

function policyFor(allowedNetworks: readonly string[]): EgressPolicy {
  const key = allowedNetworks.join(',');
  let policy = policies.get(key);
  if (!policy) policies.set(key, (policy = new EgressPolicy(allowedNetworks)));
  return policy;
}

/**
 * Save-time SSRF check of user-supplied URLs (settings, subscription mappings, …): 400 `unsafe_url`
 * for one that is, or resolves to, a private, loopback or link-local address outside the allowed
 * networks. The worker checks again when it connects (security/egress/guard.ts).
 */
export async function assertSafeUrls(
  value: Record<string, unknown>,
  allowedNetworks: readonly string[],
): Promise<void> {
  const problems = await checkUrls(value, policyFor(allowedNetworks));
  const first = problems[0];
  if (first) {
    throw new ApiError(
      400,
      'unsafe_url',
      `${first.path}: ${first.url} is not allowed: ${first.reason}`,
      problems.map((p) => ({ path: p.path, code: 'unsafe_url', message: `${p.url}: ${p.reason}` })),
    );
  }
}
