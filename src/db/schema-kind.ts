import { type DbKind, databaseName } from "./kinds.js";
import { readSqlFile } from "./sql-file.js";

/** The subset of a pg client this needs. */
interface Queryable {
  query<R extends object>(text: string): Promise<{ rows: R[] }>;
}

type Relkinds = Record<"tweets_jsonb" | "tweets" | "urls", string | null>;

/** The tweetload schema a database holds, or undefined when it holds none of the three. */
export async function detectSchemaKind(client: Queryable): Promise<DbKind | undefined> {
  const { rows } = await client.query<Relkinds>(
    await readSqlFile(import.meta.url, "schema-kind.sql"),
  );
  const found = rows[0];
  if (found?.tweets_jsonb === "r") return "denormalized";
  if (found?.urls === "r" && found.tweets === "r") return "normalized";
  if (found?.tweets === "r") return "normalized_batch";
  return undefined;
}

/**
 * Refuses, before any file is read, a database that does not hold the schema of the
 * loader aimed at it (`--denormalized-url` pointing at pg_normalized would otherwise fail
 * file by file with "relation tweets_jsonb does not exist").
 */
export async function requireSchemaOf(client: Queryable, kind: DbKind): Promise<void> {
  const found = await detectSchemaKind(client);
  if (found === kind) {
    if (kind === "normalized") await requireSnapshotRule(client);
    return;
  }
  const holds = found
    ? `it holds the schema of ${databaseName(found)}, not of ${databaseName(kind)}`
    : `it holds none of tweetload's schemas (no table tweets_jsonb, tweets or urls)`;
  throw new Error(
    `${holds}: point the ${kind} URL at the ${databaseName(kind)} database, or apply services/${databaseName(kind)}/schema.sql to this one`,
  );
}

/**
 * Refuses a pg_normalized made before the user-snapshot rule became one SQL function
 * (services/user-snapshot.sql): its loaders' statements call it, so every file would fail
 * with "function tweetload_snapshot_rank does not exist". Applying the schema again adds it
 * and keeps the rows.
 */
async function requireSnapshotRule(client: Queryable): Promise<void> {
  const { rows } = await client.query<{ ok: boolean }>(
    "SELECT to_regprocedure('tweetload_snapshot_rank(boolean, timestamptz, bigint)') IS NOT NULL AS ok",
  );
  if (rows[0]?.ok) return;
  throw new Error(
    "it has no user-snapshot function (tweetload_snapshot_rank, made by services/user-snapshot.sql), so an older tweetload made it: apply the schema again, which keeps the data (`tweetload db up` does it for the embedded clusters, `tweetload db init` for URLs), or run `tweetload db reset` (drops the data)",
  );
}
