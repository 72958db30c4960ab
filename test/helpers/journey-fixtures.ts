import type { Receiver } from './receiver';
import type { TestSojourn } from './sojourn';

/** The mapping header that makes a webhook send the event's messageId as its idempotency key. */
export const IDEMPOTENCY_KEY_HEADER = { 'Idempotency-Key': { '@path': '$.messageId' } };

/** A webhook destination that posts the whole event to the receiver at `pathName`, for the calls `subscribe` selects. */
export function webhookTo(
  receiver: Receiver,
  name: string,
  pathName: string,
  options: { subscribe?: string; headers?: Record<string, unknown> } = {},
) {
  return {
    name,
    destination: 'webhook',
    settings: {},
    subscriptions: [
      {
        subscribe: options.subscribe ?? 'type = "track"',
        partnerAction: 'send',
        mapping: {
          url: `${receiver.url}${pathName}`,
          method: 'POST',
          ...(options.headers ? { headers: options.headers } : {}),
          data: { '@path': '$.' },
        },
      },
    ],
  };
}

/** Creates a destination instance through the API and returns its id (the test fails on anything but 201). */
export async function createDestination(sojourn: TestSojourn, body: unknown): Promise<string> {
  const res = await sojourn.call<{ id: string }>('POST', '/v1/destinations', body);
  if (res.status !== 201) throw new Error(`POST /v1/destinations: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export interface PublishedJourney {
  id: string;
  stepKeys: Record<string, string>;
}

/** An API-entry journey with one send step ("send") and an exit, published. */
export async function publishSendJourney(
  sojourn: TestSojourn,
  name: string,
  destinations: Array<{ destinationId: string; call?: 'track' | 'identify'; idSync?: unknown }>,
  stepName = 'Opened email',
): Promise<PublishedJourney> {
  const created = await sojourn.call('POST', '/v1/journeys', {
    name,
    entry: { type: 'api' },
    reentry: { mode: 'once' },
    start: 'send',
    steps: [
      { id: 'send', type: 'send', name: stepName, destinations, next: 'end' },
      { id: 'end', type: 'exit' },
    ],
  });
  if (created.status !== 201)
    throw new Error(`POST /v1/journeys: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await sojourn.call('POST', `/v1/journeys/${created.body.id}/publish`);
  if (published.status !== 200 || published.body.status !== 'published')
    throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  return published.body as PublishedJourney;
}

/** Enters users through the API in calls of `perCall` users (the API takes up to 10,000 per call). */
export async function enterUsers(
  sojourn: TestSojourn,
  journeyId: string,
  userIds: readonly string[],
  perCall = 10_000,
): Promise<void> {
  for (let start = 0; start < userIds.length; start += perCall) {
    const t0 = Date.now();
    const users = userIds.slice(start, start + perCall).map((userId) => ({ userId }));
    const res = await sojourn.call('POST', `/v1/journeys/${journeyId}/entries`, { users });
    if (res.status !== 202)
      throw new Error(`entries: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    if (process.env.SOJOURN_TEST_TIMINGS) console.log(`entered ${users.length} in ${Date.now() - t0} ms`);
  }
}

export interface DeliveryRowLite {
  message_id: string;
  workflow_id: string;
  attempt: number;
  status: string;
  http_status: number | null;
  action: string;
  error: string | null;
  created_at: Date;
}

export async function deliveryRows(
  sojourn: TestSojourn,
  where: string,
  values: unknown[],
): Promise<DeliveryRowLite[]> {
  const { rows } = await sojourn.db.query(
    `SELECT message_id, workflow_id, attempt, status, http_status, action, error, created_at FROM deliveries WHERE ${where} ORDER BY id`,
    values,
  );
  return rows as DeliveryRowLite[];
}
