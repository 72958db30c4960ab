import type { Queryable } from './queryable';

export interface StoredEvent {
  messageId: string;
  userId: string;
  type: 'identify' | 'track' | 'page' | 'screen' | 'group' | 'alias';
  event: string | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  timestamp: Date;
}

/** Stores an event once per messageId; returns false for a repeat (a client retry), which changes nothing. */
export async function insertEvent(db: Queryable, e: StoredEvent): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO events (message_id, user_id, type, event, properties, traits, context, timestamp)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (message_id) DO NOTHING`,
    [e.messageId, e.userId, e.type, e.event, e.properties, e.traits, e.context, e.timestamp],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function eventsOfUser(db: Queryable, userId: string, limit = 1000): Promise<StoredEvent[]> {
  const result = await db.query<StoredEvent>(
    `SELECT message_id AS "messageId", user_id AS "userId", type, event, properties, traits, context, timestamp
     FROM events WHERE user_id = $1 ORDER BY timestamp DESC, id DESC LIMIT $2`,
    [userId, limit],
  );
  return result.rows;
}
