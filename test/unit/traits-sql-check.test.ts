import { checkSqlTrait, SqlTraitRejection } from '../../traits/sql-check';

async function rejection(sql: string): Promise<SqlTraitRejection> {
  try {
    await checkSqlTrait(sql);
  } catch (error) {
    if (error instanceof SqlTraitRejection) return error;
    throw error;
  }
  throw new Error(`accepted: ${sql}`);
}

test('a single SELECT is accepted, its trailing semicolon dropped', async () => {
  await expect(
    checkSqlTrait('SELECT user_id, count(*) AS orders FROM events GROUP BY user_id;'),
  ).resolves.toBe('SELECT user_id, count(*) AS orders FROM events GROUP BY user_id');
  await expect(
    checkSqlTrait("WITH t AS (SELECT user_id FROM profiles) SELECT user_id, 'é' AS v FROM t -- note"),
  ).resolves.toContain('-- note');
});

test.each([
  [
    'two statements',
    'SELECT 1 AS user_id; SELECT 2 AS user_id',
    'sql_multiple_statements',
    /exactly one SELECT.*got 2 statements/,
  ],
  ['a DELETE', 'DELETE FROM events', 'sql_writes', /read-only.*DELETE/],
  ['an UPDATE', "UPDATE profiles SET traits = '{}'", 'sql_writes', /read-only.*UPDATE/],
  [
    'a data-modifying WITH',
    'WITH d AS (DELETE FROM events RETURNING user_id) SELECT user_id FROM d',
    'sql_writes',
    /read-only.*DELETE/,
  ],
  ['SELECT INTO', 'SELECT user_id INTO copy FROM events', 'sql_writes', /INTO/],
  ['FOR UPDATE', 'SELECT user_id FROM profiles FOR UPDATE', 'sql_writes', /FOR UPDATE/],
  ['a DDL statement', 'DROP TABLE events', 'sql_not_select', /must be a SELECT; got DROP/],
  ['a syntax error', 'SELEC user_id FROM events', 'sql_syntax', /does not parse/],
  [
    'set_config',
    "SELECT user_id, set_config('role', 'postgres', true) FROM profiles",
    'sql_forbidden_function',
    /set_config/,
  ],
  [
    'SQL run from text',
    "SELECT user_id, query_to_xml('select * from api_keys', true, false, '') FROM profiles",
    'sql_forbidden_function',
    /query_to_xml/,
  ],
  ['a parameter', 'SELECT user_id FROM profiles WHERE user_id = $1', 'sql_invalid', /parameters/],
])('%s is refused with a clear reason', async (_label, sql, code, message) => {
  const error = await rejection(sql);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
});
