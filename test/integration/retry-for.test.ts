import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { applySchema } from "../../src/db/schema.js";
import { projectPath } from "../../src/paths.js";
import {
  counts,
  startCli,
  startThrowawayServer,
  type ThrowawayServer,
  tweetloadBackends,
  urlFlags,
  waitFor,
  writingTransaction,
} from "./fault-helpers.js";

// Retries gave up after 7-9 s (0.25+0.5+1+2+4 s of backoff), so a server
// down for longer failed the files in flight. --retry-for is a time budget (default 60 s).

const archives = ["01", "02", "03"].map((d) => projectPath("data", `geoTwitter21-01-${d}.zip`));

let server: ThrowawayServer | undefined;
afterAll(async () => {
  await server?.stop();
});

const scalar = async (url: string, sql: string) =>
  withClient(url, async (c) => Number((await c.query<{ n: string }>(sql)).rows[0]?.n));

describe("a server down for 10 s during a load", () => {
  it("regression: retries outlast the restart within --retry-for, log each wait, and load each file once", async () => {
    server = await startThrowawayServer();
    const s = server;
    const url = s.targets.normalized;
    // The per-tweet loader commits as it goes: the file is half in when the server stops.
    const run = startCli(
      ["load", "--db", "normalized", "-j", "1", ...urlFlags({ normalized: url }), ...archives],
      {
        env: { TWEETLOAD_NORMALIZED_URL: "" },
      },
    );
    await waitFor("a file half-way in", () => writingTransaction(s.adminUrl, url));
    await s.down();
    const downAt = Date.now();
    await sleep(10_000); // longer than the old 7.75 s of backoff in all
    await s.up();
    const { code, stderr, stdout } = await run.done;
    expect(Date.now() - downAt).toBeGreaterThan(10_000);
    expect(stderr).toMatch(
      /tweetload: lost the connection to pg_normalized \([^)]+\); retrying \S+geoTwitter21-01-0\d\.zip in \d+ (ms|s), \d+ s left \(--retry-for\)/,
    );
    // Waits double up to the cap of 8 s, so there were several, each with less time left.
    const left = [...stderr.matchAll(/, (\d+) s left/g)].map((m) => Number(m[1]));
    expect(left.length).toBeGreaterThanOrEqual(3);
    expect(left).toEqual([...left].sort((a, b) => b - a));
    expect(code, stdout + stderr).toBe(0);
    expect(stdout).not.toMatch(/failed/);
    // Every file once, and the rows of one clean load of the three files.
    expect(await scalar(url, "SELECT count(*) AS n FROM tweetload.journal")).toBe(3);
    const clean = url.replace(/\/pg_normalized$/, "/clean_normalized");
    await withClient(s.adminUrl, (c) => c.query("CREATE DATABASE clean_normalized"));
    await withClient(clean, (c) => applySchema(c, "normalized"));
    const again = await startCli([
      "load",
      "--db",
      "normalized",
      "-j",
      "1",
      ...urlFlags({ normalized: clean }),
      ...archives,
    ]).done;
    expect(again.code).toBe(0);
    expect(await counts("normalized", url)).toEqual(await counts("normalized", clean));
  }, 120_000);

  it("gives up once --retry-for is spent, naming the tries", async () => {
    const s = server as ThrowawayServer;
    const url = s.targets.normalized;
    // --force: the per-tweet loader goes through the files again (its writes are idempotent).
    const run = startCli([
      "load",
      "--db",
      "normalized",
      "-j",
      "1",
      "--force",
      "--retry-for",
      "3s",
      ...urlFlags({ normalized: url }),
      ...archives,
    ]);
    await waitFor(
      "the loader to connect",
      async () => (await tweetloadBackends(s.adminUrl, url)).length > 0,
    );
    await s.down();
    try {
      const { code, stderr, stdout } = await run.done;
      expect(code).toBe(1);
      expect(stderr).toMatch(/retrying \S+ in \d+ (ms|s), \d+ (ms|s) left \(--retry-for\)/);
      // --force: the per-tweet loader may have committed part of a file before the server
      // went down, which is then reported partial with its count, else failed.
      expect(stdout).toMatch(/failed|partial/);
      expect(stdout).toMatch(/after \d+ tries/);
    } finally {
      await s.up();
    }
  }, 60_000);
});
