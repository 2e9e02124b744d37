import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import getPort from "get-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { startCli } from "./fault-helpers.js";
import { adminUrl, type FreshDatabase, freshDatabase } from "./helpers/database.js";

const SECRET = `pw-${Math.random().toString(36).slice(2)}-s3cret`;
const ROLE = `tl_safety_${Math.random().toString(36).slice(2, 8)}`;
let dir: string;
let db: FreshDatabase;
/** The fresh denormalized database's URL, as the role with the secret password. */
let url: string;
const tweet = '{"id":1,"id_str":"1","user":{"id":2,"id_str":"2"},"text":"hi"}';
/** An environment that names no database: no TWEETLOAD_* URLs, no PG*, an empty home. */
let bare: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-safety-"));
  await writeFile(join(dir, "ok.jsonl"), `${tweet}\nnot json\n`);
  await writeFile(join(dir, "broken.zip"), "not a zip");
  db = await freshDatabase("denormalized");
  await withClient(adminUrl(), (c) =>
    c.query(`CREATE ROLE ${ROLE} LOGIN SUPERUSER PASSWORD '${SECRET}'`),
  );
  const u = new URL(db.url);
  u.username = ROLE;
  u.password = SECRET;
  url = u.toString();
  bare = { TWEETLOAD_HOME: join(dir, "home") };
  for (const key of Object.keys(process.env)) {
    if (/^(PG|TWEETLOAD_)/.test(key)) bare[key] = undefined;
  }
  bare.TWEETLOAD_HOME = join(dir, "home");
});
afterAll(async () => {
  await db?.drop();
  await withClient(adminUrl(), (c) => c.query(`DROP ROLE IF EXISTS ${ROLE}`));
  await rm(dir, { recursive: true, force: true });
});

/** Runs the built CLI; its exit code and everything it printed. */
async function cli(args: string[], env: NodeJS.ProcessEnv = bare) {
  const { code, stdout, stderr } = await startCli(args, { env, cwd: dir }).done;
  return { code, stdout, stderr, all: stdout + stderr };
}

/** One sentence on stderr, no stack trace, no password. */
function expectOneSentence(r: { stderr: string; all: string }, pattern: RegExp) {
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tweetload: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.all).not.toMatch(/\n\s+at /);
  expect(r.all).not.toContain(SECRET);
}

describe("a user's typo is one clear sentence and a non-zero exit", () => {
  it("a wrong path", async () => {
    const r = await cli([
      "load",
      "--db",
      "denormalized",
      `--denormalized-url=${url}`,
      "/no/such.zip",
    ]);
    expect(r.code).toBe(2);
    expectOneSentence(r, /\/no\/such\.zip does not exist/);
  });

  it("a server that is down", async () => {
    const down = `postgres://${ROLE}:${SECRET}@127.0.0.1:${await getPort()}/x`;
    const r = await cli(["load", "--db", "denormalized", `--denormalized-url=${down}`, dir]);
    expect(r.code).toBe(1);
    expectOneSentence(
      r,
      /cannot use pg_denormalized at postgres:\/\/.*:\*\*\*@.*ECONNREFUSED.*server running/,
    );
  });

  it("a host that does not exist, and a URL that is not one", async () => {
    for (const wrong of [
      `postgres://${ROLE}:${SECRET}@no-such-host.invalid/x`,
      `postgres://${ROLE}:${SECRET}@127.0.0.1:notaport/x`,
    ]) {
      const r = await cli(["load", "--db", "denormalized", `--denormalized-url=${wrong}`, dir]);
      expect(r.code).toBe(1);
      expectOneSentence(r, /cannot use pg_denormalized/);
    }
  });

  it("a wrong password", async () => {
    const u = new URL(url);
    u.password = `${SECRET}-wrong`;
    // A server that trusts local connections ignores passwords: nothing to show there.
    const trusted = await withClient(u.toString(), async () => true).catch(() => false);
    if (trusted) return;
    const r = await cli(["load", "--db", "denormalized", `--denormalized-url=${u}`, dir]);
    expect(r.code).toBe(1);
    expectOneSentence(r, /password authentication failed/);
  });

  it("no database at all", async () => {
    const r = await cli(["load", "--db", "denormalized", dir]);
    expect(r.code).toBe(1);
    expectOneSentence(r, /no database given for denormalized.*tweetload db up/);
  });
});

describe("a database whose schema has no load journal", () => {
  it("is refused in one sentence that says how to fix it, before any file is read", async () => {
    const old = await freshDatabase("denormalized");
    try {
      await withClient(old.url, (c) => c.query("DROP SCHEMA tweetload CASCADE"));
      const r = await cli(["load", "--db", "denormalized", `--denormalized-url=${old.url}`, dir]);
      expect(r.code).toBe(1);
      expectOneSentence(r, /no load journal .*services\/journal\.sql.*db reset/);
      const { rows } = await withClient(old.url, (c) =>
        c.query<{ n: number }>("SELECT count(*)::int AS n FROM tweets_jsonb"),
      );
      expect(rows[0]?.n).toBe(0);
    } finally {
      await old.drop();
    }
  });
});

describe("safety", () => {
  it("load --db denormalized needs only the denormalized URL (env), and prints no password", async () => {
    const r = await cli(["load", "--db", "denormalized", "--json", dir], {
      ...bare,
      TWEETLOAD_DENORMALIZED_URL: url,
    });
    expect(r.code).toBe(1); // broken.zip
    expect(r.all).not.toContain(SECRET);
    const summary = JSON.parse(r.stdout) as {
      files: Array<{ file: string; status: string; rejects: number }>;
    };
    expect(summary.files.map((f) => [f.file.split("/").pop(), f.status, f.rejects])).toEqual([
      ["broken.zip", "failed", 0],
      ["ok.jsonl", "loaded", 1],
    ]);
  });

  it("the summary table, its failures and reject notes print no password", async () => {
    const r = await cli([
      "load",
      "--db",
      "denormalized",
      `--denormalized-url=${url}`,
      "--force",
      dir,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/failed: .*broken\.zip/);
    expect(r.stdout).toMatch(
      /rejected lines of .*ok\.jsonl → denormalized: rejects\/ok\.jsonl\.[0-9a-f]{8}\.denormalized\.rejects\.jsonl/,
    );
    expect(r.all).not.toContain(SECRET);
  });

  it("db reset refuses a server that is not an embedded cluster without --yes", async () => {
    const count = () =>
      withClient(db.url, async (c) =>
        Number((await c.query("SELECT count(*) AS n FROM tweets_jsonb")).rows[0].n),
      );
    expect(await count()).toBeGreaterThan(0);
    const refused = await cli(["db", "reset", "--db", "denormalized", `--denormalized-url=${url}`]);
    expect(refused.code).toBe(2);
    expectOneSentence(refused, /refusing to reset pg_denormalized .*--yes/);
    expect(await count()).toBeGreaterThan(0);
    const done = await cli([
      "db",
      "reset",
      "--yes",
      "--db",
      "denormalized",
      `--denormalized-url=${url}`,
    ]);
    expect(done.code).toBe(0);
    expect(done.all).not.toContain(SECRET);
    expect(await count()).toBe(0);
  });

  it("db reset with --db given twice resets both databases and no other", async () => {
    const other = await freshDatabase("normalized_batch");
    const third = await freshDatabase("normalized");
    try {
      const rows = async (target: string, table: string) =>
        withClient(target, async (c) =>
          Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n),
        );
      await withClient(db.url, (c) =>
        c.query(`INSERT INTO tweets_jsonb (data) VALUES ($1)`, [tweet]),
      );
      await withClient(other.url, (c) => c.query("INSERT INTO tweet_tags VALUES (1, '#a')"));
      await withClient(third.url, (c) => c.query("INSERT INTO urls (url) VALUES ('u')"));
      const r = await cli([
        "db",
        "reset",
        "--yes",
        "--db",
        "denormalized",
        "--db",
        "normalized_batch",
        `--denormalized-url=${db.url}`,
        `--normalized-batch-url=${other.url}`,
        `--normalized-url=${third.url}`,
      ]);
      expect(r.code, r.all).toBe(0);
      expect(await rows(db.url, "tweets_jsonb")).toBe(0);
      expect(await rows(other.url, "tweet_tags")).toBe(0);
      expect(await rows(third.url, "urls")).toBe(1);
    } finally {
      await other.drop();
      await third.drop();
    }
  });
});
