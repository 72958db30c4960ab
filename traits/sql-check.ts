import { parse } from 'libpg-query';

/**
 * Registration check of a SQL trait's query with PostgreSQL's own parser (libpg-query): exactly one
 * statement, a plain SELECT, nothing in it that writes, locks, takes parameters or can step outside
 * the sandbox role. The read-only transaction and the restricted role (db/trait-sql.ts) are the
 * enforcement; this check gives a clear answer before anything runs.
 */
export class SqlTraitRejection extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Functions a SELECT could use to leave the sandbox: change the role back (set_config), or run SQL
 * given as text, which would then run as whatever role that text chose.
 */
const FORBIDDEN_FUNCTIONS = new Set([
  'set_config',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
  'table_to_xml',
  'table_to_xmlschema',
  'table_to_xml_and_xmlschema',
  'schema_to_xml',
  'schema_to_xmlschema',
  'schema_to_xml_and_xmlschema',
  'database_to_xml',
  'database_to_xmlschema',
  'database_to_xml_and_xmlschema',
  'ts_stat',
  'ts_rewrite',
  'dblink',
  'dblink_exec',
  'dblink_connect',
  'dblink_send_query',
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'pg_stat_file',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_notify',
  'lo_import',
  'lo_export',
  'lo_get',
  'lo_open',
]);

/** Statements nested in a SELECT (data-modifying WITH clauses) that write. */
const WRITING_NODES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

const statementName = (node: Record<string, unknown>): string =>
  (Object.keys(node)[0] ?? 'unknown')
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();

function funcName(call: Record<string, unknown>): string {
  const parts = (call.funcname as Array<{ String?: { sval?: string } }> | undefined) ?? [];
  return (parts[parts.length - 1]?.String?.sval ?? '').toLowerCase();
}

/** Walks every node of the parse tree (plain JSON) and reports the first problem found. */
function inspect(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(inspect);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [name, child] of Object.entries(node as Record<string, unknown>)) {
    if (WRITING_NODES.has(name)) {
      throw new SqlTraitRejection(
        'sql_writes',
        `SQL traits are read-only: the query contains ${statementName({ [name]: child })}`,
      );
    }
    if (name === 'ParamRef')
      throw new SqlTraitRejection('sql_invalid', 'the query may not take parameters ($1, …)');
    if (name === 'FuncCall' && FORBIDDEN_FUNCTIONS.has(funcName(child as Record<string, unknown>))) {
      throw new SqlTraitRejection(
        'sql_forbidden_function',
        `SQL traits may not call ${funcName(child as Record<string, unknown>)}()`,
      );
    }
    if (name === 'SelectStmt') {
      const select = child as Record<string, unknown>;
      if (select.intoClause)
        throw new SqlTraitRejection('sql_writes', 'SQL traits are read-only: SELECT … INTO creates a table');
      if (select.lockingClause)
        throw new SqlTraitRejection(
          'sql_writes',
          'SQL traits are read-only: FOR UPDATE / FOR SHARE lock rows',
        );
    }
    inspect(child);
  }
}

/** The one SELECT statement's text (trailing semicolon removed), or a rejection saying why not. */
export async function checkSqlTrait(query: string): Promise<string> {
  let tree: { stmts?: Array<{ stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }> };
  try {
    tree = (await parse(query)) as typeof tree;
  } catch (error) {
    throw new SqlTraitRejection('sql_syntax', `the query does not parse: ${(error as Error).message}`);
  }
  const statements = (tree.stmts ?? []).filter((s) => s.stmt !== undefined);
  if (statements.length !== 1) {
    throw new SqlTraitRejection(
      'sql_multiple_statements',
      `a SQL trait must be exactly one SELECT statement; got ${statements.length} statements`,
    );
  }
  const [only] = statements as [{ stmt: Record<string, unknown>; stmt_location?: number; stmt_len?: number }];
  if (!('SelectStmt' in only.stmt)) {
    const writes = ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE', 'CREATE TABLE AS'].includes(
      statementName(only.stmt),
    );
    throw new SqlTraitRejection(
      writes ? 'sql_writes' : 'sql_not_select',
      `${writes ? 'SQL traits are read-only: ' : ''}a SQL trait must be a SELECT; got ${statementName(only.stmt)}`,
    );
  }
  inspect(only.stmt);
  // The parser's offsets count UTF-8 bytes, not UTF-16 code units.
  const bytes = Buffer.from(query, 'utf8');
  const start = only.stmt_location ?? 0;
  const text = bytes.subarray(start, only.stmt_len ? start + only.stmt_len : bytes.length).toString('utf8');
  return text.trim().replace(/;+\s*$/, '');
}
