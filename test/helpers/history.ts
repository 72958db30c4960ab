import type { Payload } from '@temporalio/common';

/** Every string in a history, with bytes read as UTF-8 and as base64 text (either could hide a value). */
export function textOf(node: unknown, out: string[] = []): string[] {
  if (node instanceof Uint8Array) {
    out.push(Buffer.from(node).toString('utf8'), Buffer.from(node).toString('base64'));
  } else if (typeof node === 'string' || typeof node === 'number') {
    out.push(String(node));
  } else if (Array.isArray(node)) {
    node.forEach((item) => textOf(item, out));
  } else if (node !== null && typeof node === 'object') {
    for (const value of Object.values(node)) textOf(value, out);
  }
  return out;
}

/** Every payload in a history (objects with metadata and data), search attributes aside: they are indexed in clear by design. */
export function payloadsOf(node: unknown, out: Payload[] = []): Payload[] {
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return out;
  if (Array.isArray(node)) {
    node.forEach((item) => payloadsOf(item, out));
    return out;
  }
  const record = node as Record<string, unknown>;
  if (record.metadata && typeof record.metadata === 'object' && record.data instanceof Uint8Array)
    out.push(record as Payload);
  for (const [key, value] of Object.entries(record)) if (key !== 'searchAttributes') payloadsOf(value, out);
  return out;
}
