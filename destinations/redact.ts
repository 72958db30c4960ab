export const REDACTED = '[redacted]';

const SECRET_HEADERS = /^(authorization|proxy-authorization|x-api-key|api-key|apikey|x-auth-token|cookie|set-cookie)$/i;

/**
 * Deep copy with every secret value replaced, and credential headers masked, so request and response
 * records can go to the deliveries log and API responses without leaking settings.
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
  const usable = secrets.filter((secret) => secret.length >= 4);
  // A secret also travels encoded: base64 (HTTP Basic `user:secret`, tokens) or percent-encoded in a
  // URL; a destination may echo any of these back in its response.
  const forms = [...new Set(usable.flatMap((s) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64'), Buffer.from(s).toString('base64url')]))];
  const hidesSecret = (token: string): boolean => {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    return usable.some((secret) => decoded.includes(secret));
  };
  const scrub = (text: string): string => {
    const plain = forms.reduce((acc, form) => acc.split(form).join(REDACTED), text);
    if (usable.length === 0) return plain;
    return plain.replace(/[A-Za-z0-9+/_-]{8,}={0,2}/g, (token) => (hidesSecret(token) ? REDACTED : token));
  };
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
