import { getCatalog, type CatalogEntry } from '../../destinations/catalog';

describe('getCatalog', () => {
  let catalog: CatalogEntry[];
  const entry = (slug: string): CatalogEntry => {
    const found = catalog.find((e) => e.slug === slug);
    if (!found) throw new Error(`${slug} is not in the catalog`);
    return found;
  };

  beforeAll(() => {
    catalog = getCatalog();
  });

  it('describes at least 200 destinations, each slug once, sorted', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(200);
    const slugs = catalog.map((e) => e.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs).toEqual([...slugs].sort());
    for (const e of catalog) {
      expect(e.name).toEqual(expect.any(String));
      expect(['event', 'list']).toContain(e.kind);
      expect(e.actions.length).toBeGreaterThan(0);
    }
  });

  it('is computed once per process', () => {
    expect(getCatalog()).toBe(catalog);
  });

  it('lists webhook as an event destination with its send action', () => {
    const webhook = entry('webhook');
    expect(webhook.kind).toBe('event');
    expect(webhook.actions.map((a) => a.key)).toContain('send');
    expect(webhook.actions.find((a) => a.key === 'send')?.fields.map((f) => f.key)).toEqual(
      expect.arrayContaining(['url', 'method', 'data']),
    );
  });

  it.each(['webhook-audiences', 'iterable-lists'])('lists %s as a list destination', (slug) => {
    expect(entry(slug).kind).toBe('list');
  });

  it('flags secret settings (password fields) and only those', () => {
    expect(entry('webhook').settings).toContainEqual(
      expect.objectContaining({ key: 'sharedSecret', type: 'password', secret: true }),
    );
    expect(entry('iterable-lists').settings).toContainEqual(
      expect.objectContaining({ key: 'apiKey', secret: true, required: true }),
    );
    const braze = entry('braze').settings;
    expect(braze).toContainEqual(expect.objectContaining({ key: 'api_key', secret: true }));
    expect(braze).toContainEqual(expect.objectContaining({ key: 'endpoint', secret: false, required: true }));
    for (const e of catalog) {
      for (const field of e.settings)
        expect([e.slug, field.key, field.secret]).toEqual([e.slug, field.key, field.type === 'password']);
    }
  });

  it('includes presets with their subscriptions', () => {
    const braze = entry('braze');
    expect(braze.presets).toContainEqual(
      expect.objectContaining({
        name: 'Identify Calls',
        partnerAction: 'updateUserProfile',
        subscribe: 'type = "identify"',
      }),
    );
    expect(entry('webhook').presets).toEqual([]);
  });

  it('survives JSON (what GET /v1/catalog sends)', () => {
    const webhook = entry('webhook-audiences');
    expect(JSON.parse(JSON.stringify(webhook))).toEqual(webhook);
  });
});
