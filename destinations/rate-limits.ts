/**
 * Requests per second Sojourn allows itself towards each destination (SPEC §5).
 *
 * Vendor defaults are Segment's published caps for Engage destinations ("Rate limits on Engage Event
 * Destinations", docs/engage/using-engage-data), mapped onto the Actions slugs of those vendors.
 * HubSpot's "5 objects/second, 2 calls per object" becomes 10 requests/s. Every other destination
 * gets the operator's default (`SOJOURN_DEFAULT_RATE_LIMIT`, 50/s unless set), a conservative
 * figure of ours, not Segment's. An instance's own `rateLimit` overrides both; 0 means unlimited.
 */
export const VENDOR_RATE_LIMITS: Readonly<Record<string, number>> = {
  braze: 100,
  'braze-cohorts': 100,
  customerio: 30,
  hubspot: 10,
  intercom: 8,
  iterable: 500,
  'iterable-lists': 500,
  'iterable-audiences': 500,
  'marketo-static-lists': 5,
  'actions-pardot': 2,
  responsys: 3,
  sendgrid: 100,
  'sendgrid-audiences': 100,
  salesforce: 5,
  'salesforce-marketing-cloud': 20,
};

export type RateLimitSource = 'instance' | 'vendor' | 'default';

export interface EffectiveRateLimit {
  /** Requests per second; 0: unlimited. */
  requestsPerSecond: number;
  source: RateLimitSource;
}

export function effectiveRateLimit(
  slug: string,
  instanceLimit: number | null | undefined,
  defaultLimit: number,
): EffectiveRateLimit {
  if (instanceLimit !== null && instanceLimit !== undefined)
    return { requestsPerSecond: instanceLimit, source: 'instance' };
  const vendor = VENDOR_RATE_LIMITS[slug];
  if (vendor !== undefined) return { requestsPerSecond: vendor, source: 'vendor' };
  return { requestsPerSecond: defaultLimit, source: 'default' };
}

/**
 * Requests start at least this far apart. Spacing at exactly 1/limit would let a request that left
 * a little late (a busy event loop, a slow socket) share a 1-second window with `limit` others as the
 * destination sees it; aiming 20% under the limit (spacing 25% wider) leaves ~250 ms of such jitter
 * harmless at any rate. 10% (100 ms) was not enough on a loaded 2-core CI machine: 6 in a second at 5/s.
 */
export const RATE_HEADROOM = 1.25;

export function spacingMs(requestsPerSecond: number): number {
  return (1000 / requestsPerSecond) * RATE_HEADROOM;
}
