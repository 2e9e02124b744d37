import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig } from "../../../src/db/connection-config.js";
import { redactSecrets, redactUrl, resolveTargets } from "../../../src/db/targets.js";
import { UserError } from "../../../src/errors.js";

let emptyHome: string;
beforeAll(async () => {
  emptyHome = await mkdtemp(join(tmpdir(), "tweetload-targets-"));
});
afterAll(async () => {
  await rm(emptyHome, { recursive: true, force: true });
});

/** An environment with no PG* variables and a home where no clusters run. */
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  TWEETLOAD_HOME: emptyHome,
  ...extra,
});

describe("resolveTargets", () => {
  it("prefers a flag over the environment variable over PG* variables", async () => {
    const targets = await resolveTargets(
      { normalized: "postgres://flag/n" },
      env({
        TWEETLOAD_NORMALIZED_URL: "postgres://env/n",
        TWEETLOAD_DENORMALIZED_URL: "postgres://env/d",
        PGHOST: "pghost",
        PGPORT: "6543",
        PGUSER: "alice",
        PGPASSWORD: "s3cret",
      }),
    );
    expect(targets).toEqual({
      normalized: "postgres://flag/n",
      denormalized: "postgres://env/d",
      normalized_batch: "postgres://alice:s3cret@pghost:6543/pg_normalized_batch",
    });
  });

  it("builds one URL per database from PG* variables, escaping the credentials", async () => {
    const targets = await resolveTargets({}, env({ PGUSER: "bob", PGPASSWORD: "p@ss:/w" }));
    expect(targets.denormalized).toBe("postgres://bob:p%40ss%3A%2Fw@localhost/pg_denormalized");
    expect(new URL(targets.denormalized).password).toBe("p%40ss%3A%2Fw");
  });

  it("passes a socket directory in PGHOST as a host parameter", async () => {
    const targets = await resolveTargets(
      {},
      env({ PGHOST: "/var/run/postgresql", PGPORT: "5432" }),
    );
    expect(targets.normalized).toBe(
      "postgres:///pg_normalized?host=%2Fvar%2Frun%2Fpostgresql&port=5432",
    );
  });

  it("ignores empty flags and variables", async () => {
    const targets = await resolveTargets(
      { denormalized: "" },
      env({ TWEETLOAD_DENORMALIZED_URL: " ", PGHOST: "h" }),
    );
    expect(targets.denormalized).toBe("postgres://h/pg_denormalized");
  });

  it("falls back to the running embedded clusters for the databases nothing names", async () => {
    const home = await mkdtemp(join(tmpdir(), "tweetload-targets-"));
    try {
      const clusters: Record<string, { port: number; dataDir: string }> = {};
      for (const [i, kind] of ["denormalized", "normalized", "normalized_batch"].entries()) {
        const dataDir = join(home, kind);
        await mkdir(dataDir);
        // A live pid (this process) stands in for the postmaster.
        await writeFile(join(dataDir, "postmaster.pid"), `${process.pid}\n${dataDir}\n`);
        clusters[kind] = { port: 6000 + i, dataDir };
      }
      const state = { version: 1, user: "postgres", password: "pw", clusters };
      await writeFile(join(home, "embedded.json"), JSON.stringify(state));
      const targets = await resolveTargets(
        { normalized: "postgres://flag/n" },
        { TWEETLOAD_HOME: home },
      );
      expect(targets).toEqual({
        denormalized: "postgres://postgres:pw@127.0.0.1:6000/pg_denormalized",
        normalized: "postgres://flag/n",
        normalized_batch: "postgres://postgres:pw@127.0.0.1:6002/pg_normalized_batch",
      });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it("says to run `db up` when nothing names a database and no cluster runs", async () => {
    const attempt = resolveTargets({ normalized: "postgres://x/n" }, env());
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(
      /tweetload db up.*--denormalized-url, --normalized-batch-url/,
    );
  });
});

describe("redactUrl", () => {
  it.each([
    ["postgres://u:secret@h:5432/db", "postgres://u:***@h:5432/db"],
    ["postgres://u@h/db", "postgres://u@h/db"],
    [
      "postgres://h/db?password=secret&sslmode=require",
      "postgres://h/db?password=***&sslmode=require",
    ],
    ["host=h password=secret dbname=x", "host=h password=*** dbname=x"],
    ["host=h password='a b' dbname=x", "host=h password=*** dbname=x"],
    ["postgres:secret@h:54331/db", "postgres:***@h:54331/db"],
    ["postgresql:secret@h:54331/db", "postgresql:***@h:54331/db"],
    ["postgres:/user:secret@h:54331/db", "postgres:***@h:54331/db"],
    ["postgres:u:se@c/ret@h/db", "postgres:***@h/db"],
  ])("%s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
    expect(redactUrl(url)).not.toContain("secret");
  });
});

// node-postgres reads `postgres:S3CRET@host:54331/db` (no `//`) as its default server,
// 127.0.0.1:5432, and printed as a URL the string showed the password.
describe("regression: a URL without // connected to 127.0.0.1:5432 and printed its password", () => {
  const forms = [
    "postgres:S3CRET@127.0.0.1:54331/db",
    "postgresql:S3CRET@127.0.0.1:54331/db",
    "postgres:/user:S3CRET@127.0.0.1:54331/db",
    "POSTGRES:user:S3CRET@127.0.0.1:54331/db",
    "postgres:user:S3:CR/E@T@127.0.0.1:54331/db",
    "socket:/var/run/postgresql?db=pg_normalized",
    "localhost:5432",
  ];

  it.each(forms)("refuses %s in one sentence naming the flag, without the secret", async (url) => {
    const attempt = resolveTargets({ normalized: url }, env());
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    const error = (await attempt.catch((e: unknown) => e)) as UserError;
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^--normalized-url "[^"]*" is not a connection URL: .*\.$/);
    expect(error.message).not.toMatch(/S3|CR|E@T/);
    expect(error.message.split("\n")).toHaveLength(1);
  });

  it.each(forms)("refuses %s from the environment and the library's targets too", async (url) => {
    await expect(resolveTargets({}, env({ TWEETLOAD_DENORMALIZED_URL: url }))).rejects.toThrow(
      /^TWEETLOAD_DENORMALIZED_URL ".*" is not a connection URL/,
    );
    const optionOf = (kind: string) => `targets.${kind}`;
    await expect(resolveTargets({ normalized_batch: url }, env(), optionOf)).rejects.toThrow(
      /^targets\.normalized_batch ".*" is not a connection URL/,
    );
  });

  it.each(forms)("the connection itself refuses %s, for callers that skip the check", (url) => {
    expect(() => clientConfig(url)).toThrow(/does not start with postgres:\/\/ or postgresql:\/\//);
    expect(() => clientConfig(url)).not.toThrow(/S3CRET/);
  });

  it("scrubs such a string from any message, and keeps the two URL forms", () => {
    const message = 'could not use "postgres:/user:S3CRET@h/db" or postgresql:S3CR@ET@h/db now';
    expect(redactSecrets(message)).toBe(
      'could not use "postgres:***@h/db" or postgresql:***@h/db now',
    );
    expect(clientConfig("postgresql://u@h/db").connectionString).toBe("postgresql://u@h/db");
    expect(clientConfig("POSTGRES://u@h/db").connectionString).toBe("POSTGRES://u@h/db");
  });
});
