import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import type { Targets } from "../../src/db/kinds.js";
import { runStart } from "../../src/start/run-start.js";
import { freshTargets } from "./helpers/database.js";

/**
 * `tweetload start` against servers the user named (fresh databases of the test server):
 * the embedded clusters are never involved, so this shows the named-server rules. The
 * embedded path runs in `.ci/run` as `npm start`.
 */
describe("runStart on named servers", () => {
  let targets: Targets;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ targets, drop } = await freshTargets());
  });

  afterAll(async () => {
    await drop?.();
  });

  const rawTweets = () =>
    withClient(targets.denormalized, async (client) => {
      const result = await client.query<{ n: string }>("SELECT count(*) AS n FROM tweets_jsonb");
      return Number(result.rows[0]?.n);
    });

  const start = async (resetNamed: boolean, flags: Partial<Targets> = targets) => {
    const lines: string[] = [];
    const outcome = await runStart({
      flags,
      resetNamed,
      env: {},
      log: (text) => lines.push(text),
    });
    return { outcome, text: lines.join("\n") };
  };

  let loadedOnce = 0;

  it("loads the sample into all three without touching what they held, and every check passes", async () => {
    const { outcome, text } = await start(false);
    expect(outcome).toEqual({ ok: true, failedLoads: 0, failedChecks: 0, usedEmbedded: false });
    expect(text).toMatch(/your server, loaded on top of what it holds/);
    expect(text).not.toMatch(/Resetting/);
    loadedOnce = await rawTweets();
    expect(loadedOnce).toBeGreaterThan(0);
  });

  it("wipes named servers only with --reset, so a second start gives the same data", async () => {
    const { outcome, text } = await start(true);
    expect(outcome.ok).toBe(true);
    expect(text).toMatch(/RESET to a fresh schema \(--reset\)/);
    expect(text).toMatch(/Resetting denormalized, normalized, normalized_batch/);
    expect(await rawTweets()).toBe(loadedOnce);
  });

  it("stops before resetting anything when one database cannot be reached", async () => {
    const missing = new URL(targets.normalized);
    missing.pathname = "/tweetload_no_such_database";
    await expect(start(true, { ...targets, normalized: missing.toString() })).rejects.toThrow(
      /cannot connect to the normalized database at .*tweetload_no_such_database: .*Is that server running/,
    );
    expect(await rawTweets()).toBe(loadedOnce);
  });
});
