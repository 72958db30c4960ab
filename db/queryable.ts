import type { QueryResult, QueryResultRow } from 'pg';

/** A pool or a client inside a transaction: repository functions take either. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
