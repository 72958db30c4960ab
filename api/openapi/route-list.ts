import type { Express } from 'express';

export interface RouteInfo {
  method: string;
  /** Express form, e.g. `/v1/journeys/:id`. */
  path: string;
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

/**
 * Every route an Express 5 app serves, with mount prefixes joined in. Express 5's router keeps each
 * layer's original path as `rawPath`; routes registered with a RegExp or an array are skipped (Sojourn
 * has none). Used by the OpenAPI document and by the tests that prove every route is documented
 * and guarded.
 */
export function listRoutes(app: Express): RouteInfo[] {
  const root = (app as unknown as { router?: { stack: LayerLike[] } }).router;
  const out: RouteInfo[] = [];
  const walk = (stack: LayerLike[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === 'string') {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all')
            out.push({ method: method.toUpperCase(), path: join(prefix, layer.route.path) });
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  walk(root?.stack ?? [], '');
  const seen = new Set<string>();
  return out.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function join(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** `/v1/journeys/:id` → `/v1/journeys/{id}` (OpenAPI's template form). */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
