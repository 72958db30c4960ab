import type { TestSojourn } from './sojourn';

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
  if (published.status !== 200)
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
