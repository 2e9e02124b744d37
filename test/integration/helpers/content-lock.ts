import { withClient } from "../../../src/db/client.js";
import { connectClient } from "../../../src/db/connection-config.js";
import { fileIdentity } from "../../../src/input/file-identity.js";
import { contentLockKey } from "../../../src/load/journal-locks.js";
import { dbNameOf } from "../fault-helpers.js";

/**
 * Takes the advisory lock a load of `file` takes on its content, in the database of `url`,
 * as another tweetload loading the same content would: loads of it wait until `release`.
 */
export async function holdContentLock(url: string, file: string) {
  const identity = await fileIdentity(file);
  const client = await connectClient(url, { application_name: "test lock holder" });
  await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [
    contentLockKey(identity),
  ]);
  return {
    release: async () => {
      await client.end();
    },
  };
}

/** How many advisory lock requests wait in the database of `url`. */
export async function waitingForLock(adminUrl: string, url: string): Promise<number> {
  return withClient(adminUrl, async (c) => {
    const { rows } = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = $1`,
      [dbNameOf(url)],
    );
    return Number(rows[0]?.n);
  });
}
