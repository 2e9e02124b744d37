import { describe, expect, it } from "vitest";
import type { Targets } from "../../src/db/targets.js";
import { describePlan, planStart } from "../../src/start/plan.js";

const embedded: Targets = {
  denormalized: "postgres://tweetload:pw@127.0.0.1:7001/pg_denormalized",
  normalized: "postgres://tweetload:pw@127.0.0.1:7002/pg_normalized",
  normalized_batch: "postgres://tweetload:pw@127.0.0.1:7003/pg_normalized_batch",
};
const mine = "postgres://me:hunter2@db.example:5432/pg_normalized";

describe("planStart", () => {
  it("resets every embedded database, so a second start sees the same data", () => {
    const plan = planStart(embedded, embedded, false);
    expect(plan.map((t) => [t.kind, t.origin, t.reset])).toEqual([
      ["denormalized", "embedded", true],
      ["normalized", "embedded", true],
      ["normalized_batch", "embedded", true],
    ]);
  });

  it("never resets a server the user named unless asked to", () => {
    const targets = { ...embedded, normalized: mine };
    expect(planStart(targets, embedded, false)[1]).toEqual({
      kind: "normalized",
      url: mine,
      origin: "named",
      reset: false,
    });
    expect(planStart(targets, embedded, true)[1]?.reset).toBe(true);
  });

  it("treats every database as named when no embedded cluster runs", () => {
    const plan = planStart(embedded, undefined, false);
    expect(plan.every((t) => t.origin === "named" && !t.reset)).toBe(true);
  });
});

describe("describePlan", () => {
  it("says which databases get wiped, without printing a password", () => {
    const text = describePlan(planStart({ ...embedded, normalized: mine }, embedded, false));
    expect(text).not.toMatch(/hunter2|:pw@/);
    expect(text).toMatch(
      /denormalized +postgres:\/\/tweetload:\*\*\*@127\.0\.0\.1:7001\/pg_denormalized +\(embedded cluster, reset/,
    );
    expect(text).toMatch(
      /normalized +postgres:\/\/me:\*\*\*@db\.example:5432\/pg_normalized +\(your server, loaded on top.*--reset/,
    );
  });

  it("warns loudly when a named server is about to be wiped", () => {
    const text = describePlan(planStart({ ...embedded, normalized: mine }, embedded, true));
    expect(text).toMatch(/your server, RESET to a fresh schema \(--reset\): its data is dropped/);
  });
});
