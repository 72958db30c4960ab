import { defineQuery, defineSignal } from '@temporalio/workflow';

/** One identifier value of one journey run, to be added to a list (SPEC §3: the member key). */
export interface ListMember {
  /** Deterministic per (run, step, destination, identifier value), as for events (SPEC §5). */
  messageId: string;
  /** The journey run the member comes from; its deliveries log rows carry it. */
  workflowId: string;
  journeyId: string;
  version: number;
  stepId: string;
  userId: string;
  identifier: { type: string; value: string };
  /** Enriched traits (Trait Enrichment), destination field → value. */
  traits: Record<string, unknown>;
  /** When the user entered the step (ISO 8601): the event's timestamp. */
  enteredAt: string;
}

/** A list at a destination: one batching workflow each (SPEC §6). */
export interface ListRef {
  destinationId: string;
  externalId: string;
  /** The send step's key, which is the list's name. */
  audienceKey: string;
}

export interface ListBatchSettings {
  batchSize: number;
  /** A batch that is not full goes once no member has arrived for this long (the list went quiet)… */
  flushIntervalMs: number;
  /** …or once its oldest member has waited this long. Absent in runs started before it existed. */
  maxWaitMs?: number;
}

/** For settings carried or signalled by runs from before `maxWaitMs`: flush on the interval alone, as they did. */
export function maxWaitOf(settings: Pick<ListBatchSettings, 'flushIntervalMs' | 'maxWaitMs'>): number {
  return settings.maxWaitMs ?? settings.flushIntervalMs;
}

/** The batcher's knowledge of its queue (the members themselves are in PostgreSQL, list_members). */
export interface ListQueueView {
  /** New members waiting, as announced and as the last flush found (an estimate: over, never under). */
  waiting: number;
  /** Workflow time the oldest waiting member arrived. */
  oldestWaitingAt: number;
  /** Workflow time the newest waiting member arrived (absent in runs carried over from before it). */
  newestWaitingAt?: number;
  /** Workflow time the next retry group is due; null: none. */
  nextRetryAt: number | null;
}

export interface ListBatcherCarry {
  queue: ListQueueView;
  settings: ListBatchSettings;
  flushed: number;
}

export interface ListBatcherInput {
  list: ListRef;
  /** State handed over by continue-as-new. */
  carry?: ListBatcherCarry;
}

export interface FlushInput {
  list: ListRef;
  /** Names the batch: the members it claims, and its rows in the deliveries log. */
  batchId: string;
  batchSize: number;
  /** A batch that is not full goes once the newest member has waited this long (the list is quiet)… */
  flushIntervalMs: number;
  /** …or once the oldest has waited this long. */
  maxWaitMs?: number;
}

export interface FlushResult {
  /** Members this flush sent (0: nothing was due yet, the queue says when). */
  sent: number;
  delivered: number;
  failed: number;
  /** Members refused retryably, queued again as one retry group. */
  retrying: number;
  /** The queue after the flush, relative to now. */
  waiting: number;
  oldestWaitingMs: number | null;
  /** How long ago the newest waiting member arrived (absent from activities older than it). */
  newestWaitingMs?: number | null;
  nextRetryInMs: number | null;
}

/** Sent by the enqueue activity after it stored members: how many, and the destination's settings now. */
export interface ListMembersAdded {
  added: number;
  /** The destination's current batch settings; the newest signal's win. */
  settings: ListBatchSettings;
}

export interface ListBatcherState {
  list: ListRef;
  queue: ListQueueView;
  flushed: number;
  settings: ListBatchSettings;
}

export const listMembersAddedSignal = defineSignal<[ListMembersAdded]>('listMembersAdded');
export const listBatcherStateQuery = defineQuery<ListBatcherState>('listBatcherState');

export function listBatcherWorkflowId(list: Pick<ListRef, 'destinationId' | 'externalId'>): string {
  return `list:${list.destinationId}:${list.externalId}`;
}
