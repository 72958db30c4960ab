import { isRetryableStatus } from './errors';

/** What happened to one member of a batch. */
export interface MemberResult {
  delivered: boolean;
  retryable: boolean;
  httpStatus?: number;
  error?: string;
  /** The member's payload as the action sent it. */
  sent?: unknown;
  /** The member's own answer when the destination gave one, else the batch's. */
  body?: unknown;
}

/** One entry of the Actions runtime's multi-status answer to `performBatch` (ResultMultiStatusNode). */
export interface MultiStatusNode {
  status?: number;
  body?: unknown;
  sent?: unknown;
  errormessage?: string;
  errortype?: string;
}

interface StatusEntry {
  status: number;
  error?: string;
  messageId?: string;
}

const MULTI_STATUS = 207;

function asEntries(value: unknown): StatusEntry[] | undefined {
  const list = Array.isArray(value) ? value : (value as { results?: unknown } | null)?.results;
  if (!Array.isArray(list)) return undefined;
  const entries: StatusEntry[] = [];
  for (const item of list) {
    const entry = item as {
      status?: unknown;
      error?: unknown;
      message?: unknown;
      messageId?: unknown;
    } | null;
    if (!entry || typeof entry.status !== 'number') return undefined;
    const error =
      typeof entry.error === 'string'
        ? entry.error
        : typeof entry.message === 'string'
          ? entry.message
          : undefined;
    entries.push({
      status: entry.status,
      ...(error !== undefined ? { error } : {}),
      ...(typeof entry.messageId === 'string' ? { messageId: entry.messageId } : {}),
    });
  }
  return entries;
}

/**
 * Reads a `207 Multi-Status` answer from a destination that speaks plain HTTP (webhook-audiences):
 * `{"results": [{"status": 200}, {"status": 503, "error": "…"}, …]}` (or the bare array), one entry
 * per member in the order they were sent, or entries naming members by `messageId` (members not
 * named were accepted). This is Sojourn's convention; the runtime itself only knows the batch status.
 */
export function memberStatusesFromBody(
  body: unknown,
  sentIds: readonly string[],
): Map<string, StatusEntry> | undefined {
  const entries = asEntries(body);
  if (!entries) return undefined;
  const byId = new Map<string, StatusEntry>();
  if (entries.every((e) => e.messageId !== undefined)) {
    for (const entry of entries)
      if (sentIds.includes(entry.messageId as string)) byId.set(entry.messageId as string, entry);
    for (const id of sentIds) if (!byId.has(id)) byId.set(id, { status: 200 });
    return byId;
  }
  if (entries.length !== sentIds.length) return undefined;
  sentIds.forEach((id, i) => byId.set(id, entries[i] as StatusEntry));
  return byId;
}

function fromStatus(status: number, node: MultiStatusNode, error?: string): MemberResult {
  const delivered = status >= 200 && status < 300;
  const validation = node.errortype === 'PAYLOAD_VALIDATION_FAILED';
  return {
    delivered,
    retryable: !delivered && !validation && isRetryableStatus(status),
    httpStatus: status,
    ...(delivered ? {} : { error: error ?? node.errormessage ?? `HTTP ${status}` }),
    ...(node.sent !== undefined ? { sent: node.sent } : {}),
    ...(node.body !== undefined ? { body: node.body } : {}),
  };
}

/**
 * Per-member results of one `performBatch`, aligned with `messageIds` (the events sent, in order).
 * A member the runtime reported nothing for counts as a retryable failure: losing it is worse.
 */
export function memberResults(
  nodes: ReadonlyArray<MultiStatusNode | undefined>,
  messageIds: readonly string[],
): MemberResult[] {
  const sentIds = messageIds.filter((_, i) => nodes[i]?.status === MULTI_STATUS);
  const sample = nodes.find((n) => n?.status === MULTI_STATUS);
  const perMember = sample ? memberStatusesFromBody(sample.body, sentIds) : undefined;
  return messageIds.map((id, i) => {
    const node = nodes[i];
    if (!node || typeof node.status !== 'number') {
      return {
        delivered: false,
        retryable: true,
        error: 'the destination reported no result for this member',
      };
    }
    const own = node.status === MULTI_STATUS ? perMember?.get(id) : undefined;
    if (own) return fromStatus(own.status, { ...node, body: own }, own.error);
    return fromStatus(node.status, node);
  });
}
