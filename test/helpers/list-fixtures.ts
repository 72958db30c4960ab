import type { Received, Receiver } from './receiver';

/** A member as a webhook-audiences batch carries it (the whole Engage event, mapped with `$.`). */
export interface ListMemberEvent {
  userId: string;
  messageId: string;
  context: { personas: Record<string, unknown> };
  properties: Record<string, unknown>;
}

/** A webhook-audiences instance whose list is created at `<path>/audiences` and batches go to `<path>/members`. */
export function webhookAudiences(receiver: Receiver, name: string, pathName: string, batchSize: number) {
  return {
    name,
    destination: 'webhook-audiences',
    settings: { createAudienceUrl: `${receiver.url}${pathName}/audiences` },
    rateLimit: 0,
    subscriptions: [
      {
        subscribe: 'type = "track"',
        partnerAction: 'send',
        mapping: {
          url: `${receiver.url}${pathName}/members`,
          method: 'POST',
          data: { '@path': '$.' },
          batch_size: batchSize,
        },
      },
    ],
  };
}

export const requestsTo = (receiver: Receiver, path: string): Received[] =>
  receiver.received.filter((r) => r.path === path);
export const membersIn = (requests: Received[]): ListMemberEvent[] =>
  requests.flatMap((r) => r.body as ListMemberEvent[]);
