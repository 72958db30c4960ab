import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  at: number;
}

export interface Reply {
  status: number;
  /** Answer after this long: keeps requests in flight (crash tests). */
  delayMs?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A real HTTP server on loopback that records what destinations send and answers as scripted. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Decides each answer; `n` counts requests to the same path, from 1. Default: 200 {ok: true}. */
  reply: (request: Received, n: number) => Reply;
  waitFor(predicate: (all: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const counts = new Map<string, number>();
  const receiver: Receiver = {
    url: '',
    received: [],
    reply: () => ({ status: 200, body: { ok: true } }),
    async waitFor(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(receiver.received)) {
        if (Date.now() > deadline) {
          throw new Error(`receiver: condition not met in ${timeoutMs} ms; got ${receiver.received.length} requests`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return receiver.received;
    },
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      const request: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, at: Date.now() };
      receiver.received.push(request);
      const n = (counts.get(request.path) ?? 0) + 1;
      counts.set(request.path, n);
      const reply = receiver.reply(request, n);
      const answer = () => {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(JSON.stringify(reply.body ?? {}));
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
