import type { SqlClient } from "../../../src/db/client.js";
import type { DbKind } from "../../../src/db/kinds.js";

/** Every database a test run creates starts with this, so teardown finds leftovers. */
export const runPrefix = (runId: string) => `tweetload_t_${runId}_`;

export const templateName = (runId: string, kind: DbKind) => `${runPrefix(runId)}tpl_${kind}`;

/** Drops the run's databases, templates included, even if a test left one connected. */
export async function dropDatabasesWithPrefix(admin: SqlClient, prefix: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
    [prefix],
  );
  for (const { datname } of rows) {
    await admin.query(`ALTER DATABASE "${datname}" WITH IS_TEMPLATE false`);
    await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}
