import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  citusFunctionsSql,
  groupStatementTemplate,
} from "../../../src/load/normalized/citus-sql.js";
import { fillTweetSql } from "../../../src/load/tweet-sql.js";
import { TWEET_ARGS, TWEET_COLUMN_NAMES } from "../../../src/transform/table-columns.js";

const LOAD = resolve(import.meta.dirname, "../../../src/load");
const columns = TWEET_COLUMN_NAMES.split(", ");

/** Every .sql file under src/load/, with its text. */
async function loaderSql(): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(LOAD, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith(".sql"));
  return Promise.all(
    files.map(async (e) => ({
      path: join(e.parentPath, e.name),
      text: await readFile(join(e.parentPath, e.name), "utf8"),
    })),
  );
}

describe("the loaders' SQL takes the tweets table's columns from one description", () => {
  it("fills each marker from the table's columns, in the table's order", () => {
    const n = columns.length;
    expect(fillTweetSql("INSERT INTO t (@TWEET_COLUMNS@) VALUES (@TWEET_ARGS@)")).toBe(
      `INSERT INTO t (${TWEET_COLUMN_NAMES}) VALUES (${TWEET_ARGS.map((a) => a.name).join(", ")})`,
    );
    expect(fillTweetSql("f(@TWEET_PARAMS@)")).toContain("p_id bigint,\n  p_user_id bigint");
    expect(fillTweetSql("(@TWEET_TYPES@)").split(", ")).toHaveLength(n);
    const statement = fillTweetSql("SELECT @TWEET_PLACEHOLDERS:3@ WHERE $T+1 AND $T+24 AND $2");
    expect(statement).toBe(
      `SELECT ${columns.map((_, i) => `$${i + 3}`).join(", ")} WHERE $${n + 3} AND $${n + 26} AND $2`,
    );
  });

  it("refuses $T+k in a statement without the tweet's placeholders", () => {
    expect(() => fillTweetSql("SELECT $T+1")).toThrow(/@TWEET_PLACEHOLDERS:n@/);
  });

  it("no .sql file under src/load/ spells the column list by hand, and every marker is filled", async () => {
    const files = await loaderSql();
    expect(files.length).toBeGreaterThan(5);
    for (const { path, text } of files) {
      // A column of tweets that no other table has, written out, is a hand list.
      expect(text, path).not.toMatch(/in_reply_to_status_id|quoted_status_id/);
      // Nor the users upsert's conflict clause: the user-snapshot rule is one marker.
      expect(text, path).not.toMatch(/EXCLUDED\.snapshot_tweet_id/);
      expect(fillTweetSql(text), path).not.toMatch(/@TWEET_|@USERS_|\$T\+/);
    }
  });

  it("every .sql file is ASCII: its text reaches the server, and a LATIN1 database refuses a character it has no equivalent for", async () => {
    const roots = [resolve(LOAD, ".."), resolve(LOAD, "../../services")];
    let seen = 0;
    for (const root of roots) {
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      for (const e of entries.filter((x) => x.isFile() && x.name.endsWith(".sql"))) {
        const path = join(e.parentPath, e.name);
        const text = await readFile(path, "utf8");
        expect(
          [...text].find((c) => (c.codePointAt(0) ?? 0) > 0x7f),
          path,
        ).toBeUndefined();
        seen += 1;
      }
    }
    expect(seen).toBeGreaterThan(20);
  });

  it("the Citus group statement and its function agree on the number of parameters", async () => {
    const statement = await groupStatementTemplate();
    const functions = await citusFunctionsSql();
    const highest = Math.max(...[...statement.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    expect(highest).toBe(2 + columns.length + 24);
    expect(functions).toContain(`repeat('%L, ', ${highest})`);
    const prepare = functions.match(/PREPARE %I \((.*?)\)\s+AS %s/s)?.[1] ?? "";
    expect(prepare.split(",")).toHaveLength(highest);
    expect(functions).not.toMatch(/@[A-Z_]+@|\$T\+/);
  });
});
