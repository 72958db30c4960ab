export const REDACTED = '[redacted]';

const SECRET_HEADERS = /^(authorization|proxy-authorization|x-api-key|api-key|apikey|x-auth-token|cookie|set-cookie)$/i;

/**
 * Deep copy with every secret value replaced, and credential headers masked, so request and response
 * records can go to the deliveries log and API responses without leaking settings.
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
  const scrub = (text: string): string =>
    secrets.reduce((acc, secret) => (secret.length >= 4 ? acc.split(secret).join(REDACTED) : acc), text);
  const walk = (node: unknown, key?: string): unknown => {
    if (typeof node === 'string') return key !== undefined && SECRET_HEADERS.test(key) ? REDACTED : scrub(node);
    if (Array.isArray(node)) return node.map((item) => walk(item));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
    }
    return node;
  };
  return walk(value) as T;
}
