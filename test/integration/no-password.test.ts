import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../../src/paths.js";
import { startCli } from "./fault-helpers.js";
import { adminUrl } from "./helpers/database.js";

// `db status --json` printed the embedded clusters' password, and
// check-answers.sh printed `password=…` of a key=value connection string. No output of
// any command or script may show a password; each case runs the real program.

const run = promisify(execFile);
const SECRET = "Hunter2-s3cret";

let home: string;
let server: URL;
/** A URL of the test server with a wrong password (the server refuses it: 28P01). */
let wrong: string;
/** The environment of a run that must find no database but the ones given. */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(PG|TWEETLOAD_.*_URL$)/.test(name)),
  );

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "tweetload-nopass-"));
  server = new URL(adminUrl());
  wrong = `postgres://postgres:${SECRET}@${server.host}/postgres`;
  // The state `db up` writes, for clusters that are not running.
  await mkdir(join(home, "clusters"), { recursive: true });
  await writeFile(
    join(home, "embedded.json"),
    JSON.stringify({
      version: 1,
      user: "postgres",
      password: SECRET,
      clusters: Object.fromEntries(
        ["denormalized", "normalized", "normalized_batch"].map((kind, i) => [
          kind,
          { port: 1 + i, dataDir: join(home, "clusters", kind) },
        ]),
      ),
    }),
  );
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = startCli(args, { env: { ...cleanEnv(), TWEETLOAD_HOME: home, ...env } });
  return child.done;
}

const urlArgs = (url: string) => [
  `--denormalized-url=${url}`,
  `--normalized-url=${url}`,
  `--normalized-batch-url=${url}`,
];

describe("no password in any output", () => {
  it("regression: db status --json printed the embedded clusters' password", async () => {
    const json = await cli(["db", "status", "--json", ...urlArgs(wrong)]);
    expect(json.stdout).toMatch(/"embedded"/);
    expect(JSON.parse(json.stdout).embedded[0].url).toMatch(/postgres:\*\*\*@127.0.0.1:1\//);
    const table = await cli(["db", "status", ...urlArgs(wrong)]);
    expect(table.stdout).toMatch(/password authentication failed|not reachable/);
    for (const out of [json, table]) {
      expect(out.stdout + out.stderr).not.toContain(SECRET);
    }
  });

  it("load --json, check and the one-line errors hide a refused or malformed URL's password", async () => {
    const file = projectPath("data", "geoTwitter21-01-01.zip");
    const refused = await cli(["load", "--json", "--db", "denormalized", ...urlArgs(wrong), file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cannot use pg_denormalized at postgres:\/\/postgres:\*\*\*@/);
    // A password that is not valid percent-encoding: the URL parser's own message.
    const malformed = `postgres://postgres:${SECRET}%zz@${server.host}/postgres`;
    const bad = await cli(["load", "--json", "--db", "denormalized", ...urlArgs(malformed), file]);
    expect(bad.code).not.toBe(0);
    // Through the environment and PGPASSWORD as well.
    const env = await cli(["load", "--json", "--db", "normalized", file], {
      TWEETLOAD_NORMALIZED_URL: wrong,
    });
    const pg = await cli(["load", "--json", "--db", "normalized", file], {
      PGHOST: server.hostname,
      PGPORT: server.port,
      PGUSER: "postgres",
      PGPASSWORD: SECRET,
    });
    expect(pg.stderr).toMatch(/cannot use pg_normalized/);
    // The checker reports each database it cannot reach, by URL.
    const check = await cli(["check", ...urlArgs(wrong)]);
    expect(check.code).not.toBe(0);
    expect(check.stdout + check.stderr).toMatch(/postgres:\*\*\*@/);
    for (const out of [refused, bad, env, pg, check]) {
      expect(out.stdout + out.stderr).not.toContain(SECRET);
    }
  });

  it("db env prints exports for a shell to read, and refuses a terminal", async () => {
    const urls = {
      TWEETLOAD_DENORMALIZED_URL: wrong,
      TWEETLOAD_NORMALIZED_URL: wrong,
      TWEETLOAD_NORMALIZED_BATCH_URL: `${wrong}?application_name=it's`,
    };
    const piped = await cli(["db", "env"], urls);
    expect(piped.code).toBe(0);
    // The exports are for eval: they carry the URL whole, quoted for the shell.
    const { stdout } = await run("sh", [
      "-c",
      `eval "$1"; printf '%s %s' "$TWEETLOAD_DENORMALIZED_URL" "$TWEETLOAD_NORMALIZED_BATCH_URL"`,
      "sh",
      piped.stdout,
    ]);
    expect(stdout).toBe(`${wrong} ${urls.TWEETLOAD_NORMALIZED_BATCH_URL}`);
    // On a terminal (script gives it one), nothing is printed but a sentence.
    const tty = await run(
      "script",
      ["-qec", `${process.execPath} ${projectPath("bin", "tweetload.js")} db env`, "/dev/null"],
      { env: { ...cleanEnv(), TWEETLOAD_HOME: home, ...urls } },
    ).catch((error: { stdout: string; stderr: string; code: number }) => error);
    expect(tty.stdout).toMatch(/eval "\$\(tweetload db env\)"/);
    expect(tty.stdout).not.toContain(SECRET);
  });

  it.each([
    ["key=value", `host=HOST port=PORT user=postgres password=${SECRET} dbname=postgres`],
    ["quoted key=value", `host=HOST port=PORT user=postgres password='${SECRET} x' dbname`],
    ["URL", `postgres://postgres:${SECRET}@HOST:PORT/postgres`],
    ["URL with bad escapes", `postgres://postgres:${SECRET}%zz@HOST:PORT/postgres`],
    ["password parameter", `postgresql://HOST:PORT/postgres?user=postgres&password=${SECRET}`],
    ["password as the port", `host=HOST port=${SECRET} password=${SECRET}`],
  ])(
    "regression: check-answers.sh with a %s connection string printed its password",
    async (_, form) => {
      const target = form.replace("HOST", server.hostname).replace("PORT", server.port);
      const out = await run("sh", [projectPath("check-answers.sh"), target], { env: cleanEnv() })
        .then((r) => ({ ...r, code: 0 }))
        .catch((error: { stdout: string; stderr: string; code: number }) => error);
      expect(out.code).toBe(1);
      expect(out.stdout).toMatch(/FAIL {2}01_tweets {2}\(psql: /);
      expect(out.stdout + out.stderr).toContain("***");
      expect(out.stdout + out.stderr).not.toContain(SECRET);
    },
  );
});
