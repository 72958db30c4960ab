import type { Client } from '@temporalio/client';
import type { ListBatcherWorkflow } from '../workflows/list-batcher';
import {
  listBatcherWorkflowId,
  listMembersAddedSignal,
  type ListBatchSettings,
  type ListMembersAdded,
  type ListRef,
} from '../workflows/list-types';

/** One caller's announcement and its promise, settled by the signal that carries it. */
interface Request {
  added: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface ListQueue {
  list: ListRef;
  taskQueue: string;
  settings: ListBatchSettings;
  requests: Request[];
  /** A signal to this list is on its way; announcements arriving meanwhile wait for the next one. */
  sending: boolean;
  timer?: NodeJS.Timeout;
}

/** How long the first announcement to a quiet list waits in this process for companions. */
const LINGER_MS = 50;

/**
 * Tells a list's batching workflow, by signal-with-start (workflows cannot signal-with-start
 * themselves), how many members were stored for it. Thousands of journey runs reach a list step at
 * once, and Temporal applies signals to one workflow one at a time, so this process keeps at most one
 * signal in flight per list and sums what arrives meanwhile into the next: the batcher sees a few
 * signals a second however large the burst. A caller's promise settles with the signal that carried
 * its count, so its activity completes only once the batcher is sure to hear of its members.
 */
export class ListSignaller {
  private readonly queues = new Map<string, ListQueue>();

  constructor(private readonly client: Client) {}

  announce(list: ListRef, taskQueue: string, settings: ListBatchSettings, added: number): Promise<void> {
    const key = `${taskQueue}\u0000${listBatcherWorkflowId(list)}`;
    const queue = this.queues.get(key) ?? { list, taskQueue, settings, requests: [], sending: false };
    this.queues.set(key, queue);
    queue.settings = settings;
    const done = new Promise<void>((resolve, reject) => queue.requests.push({ added, resolve, reject }));
    if (!queue.sending && queue.timer === undefined)
      queue.timer = setTimeout(() => void this.send(key), LINGER_MS);
    return done;
  }

  private async send(key: string): Promise<void> {
    const queue = this.queues.get(key);
    if (!queue) return;
    queue.timer = undefined;
    const requests = queue.requests.splice(0, queue.requests.length);
    queue.sending = true;
    try {
      await this.client.workflow.signalWithStart<typeof ListBatcherWorkflow, [ListMembersAdded]>(
        'ListBatcherWorkflow',
        {
          workflowId: listBatcherWorkflowId(queue.list),
          taskQueue: queue.taskQueue,
          args: [{ list: queue.list }],
          signal: listMembersAddedSignal,
          signalArgs: [{ added: requests.reduce((n, r) => n + r.added, 0), settings: queue.settings }],
        },
      );
      for (const request of requests) request.resolve();
    } catch (error) {
      for (const request of requests) request.reject(error);
    } finally {
      queue.sending = false;
      if (queue.requests.length > 0) void this.send(key);
      else this.queues.delete(key);
    }
  }
}
