/**
 * `npm run bench`: measures Sojourn on this machine and writes bench/results.json.
 * Sizes: BENCH_USERS (entries, default 2000), BENCH_LATENCY_USERS (500), BENCH_LIST_MEMBERS (10000),
 * BENCH_WAITING_USERS (10000), BENCH_EVENTS (5000); BENCH_STEADY_USERS (300) at BENCH_STEADY_RATE (10/s). BENCH_ONLY=entries,lists,ingest,waiting runs a subset.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBench } from './harness';
import { benchEntries, benchIngest, benchLatency, benchWaiting } from './scenarios';

const size = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const wanted = (figure: string) => !only || only.includes(figure);

async function main(): Promise<void> {
  const bench = await startBench();
  const results: Record<string, unknown> = {
    machine: {
      cores: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    at: new Date().toISOString(),
  };
  try {
    if (wanted('entries')) {
      const entries = await benchEntries(bench, size('BENCH_USERS', 2000));
      const latency = await benchLatency(bench, size('BENCH_LATENCY_USERS', 500));
      // The same at a rate this machine sustains, so the latency floor shows apart from queueing.
      const steady = await benchLatency(
        bench,
        size('BENCH_STEADY_USERS', 300),
        size('BENCH_STEADY_RATE', 10),
      );
      results.entries = {
        ...entries,
        p50Ms: latency.p50Ms,
        p99Ms: latency.p99Ms,
        latencyAtUsersPerSecond: latency.atUsersPerSecond,
        steady: { usersPerSecond: steady.atUsersPerSecond, p50Ms: steady.p50Ms, p99Ms: steady.p99Ms },
      };
      console.log('entries', results.entries);
    }
    if (wanted('lists'))
      try {
        const { benchLists } = await import('./lists');
        results.lists = await benchLists(bench, size('BENCH_LIST_MEMBERS', 10_000));
        console.log('lists', results.lists);
      } catch (error) {
        results.lists = { error: (error as Error).message };
        console.log('lists', results.lists);
      }
    if (wanted('ingest')) {
      results.ingest = await benchIngest(bench, size('BENCH_EVENTS', 5000));
      console.log('ingest', results.ingest);
    }
    if (wanted('waiting')) {
      results.waiting = await benchWaiting(bench, size('BENCH_WAITING_USERS', 10_000));
      console.log('waiting', results.waiting);
    }
  } finally {
    await bench.stop();
  }
  // A partial run (BENCH_ONLY) prints its figures but leaves the full run's results.json alone.
  if (!only) fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
