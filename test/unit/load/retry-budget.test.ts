import { describe, expect, it } from "vitest";
import {
  fileBackoffMs,
  formatDuration,
  MAX_BACKOFF_MS,
  parseDuration,
  RetryBudget,
} from "../../../src/load/retry-budget.js";
import { retryNotice } from "../../../src/run/retry-notice.js";

describe("parseDuration", () => {
  it.each([
    ["60s", 60_000],
    ["90", 90_000],
    ["2m", 120_000],
    ["1.5m", 90_000],
    ["500ms", 500],
    ["1h", 3_600_000],
    ["5min", 300_000],
    ["45sec", 45_000],
    ["0", 0],
    [" 30 S ", 30_000],
  ])("reads %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "s", "-5s", "5 minutes", "1m30s", "abc"])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("RetryBudget", () => {
  it("waits 0.25 s doubling to the cap until the budget is spent, then gives up", () => {
    let now = 0;
    const budget = new RetryBudget(60_000, undefined, () => now);
    const waits: number[] = [];
    for (let attempt = 1; ; attempt++) {
      const next = budget.next(attempt);
      if (!next) break;
      expect(next.leftMs).toBe(60_000 - now - next.waitMs);
      waits.push(next.waitMs);
      now += next.waitMs + 100; // each failed try takes 0.1 s
    }
    expect(now).toBeGreaterThanOrEqual(60_000);
    expect(waits[0]).toBeLessThanOrEqual(250 * 1.25);
    expect(Math.max(...waits)).toBeLessThanOrEqual(MAX_BACKOFF_MS * 1.25);
    // More than the old 5 retries, fewer than a tight loop would make.
    expect(waits.length).toBeGreaterThan(8);
    expect(waits.length).toBeLessThan(20);
  });

  it("never waits past its end, and the count of tries caps it too", () => {
    let now = 0;
    const short = new RetryBudget(1000, undefined, () => now);
    expect(short.next(1)).toBeDefined();
    now = 900;
    expect(short.next(9)?.waitMs).toBeLessThanOrEqual(100);
    now = 1000;
    expect(short.next(10)).toBeUndefined();
    const capped = new RetryBudget(60_000, 3, () => 0);
    expect(capped.next(2)).toBeDefined();
    expect(capped.next(3)).toBeUndefined();
    expect(new RetryBudget(0).next(1)).toBeUndefined();
  });

  it("jitters each pause by at most a quarter", () => {
    expect(fileBackoffMs(1, () => 0)).toBe(187.5);
    expect(fileBackoffMs(1, () => 1)).toBe(312.5);
    expect(fileBackoffMs(30, () => 0.5)).toBe(MAX_BACKOFF_MS);
  });
});

describe("retryNotice", () => {
  const task = {
    db: "normalized" as const,
    file: "data/day.jsonl",
    url: "postgres://me:s3cret@db/pg_normalized",
  };

  it("names the database, the cause, the file, the wait and the time left", () => {
    const lost = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
    });
    expect(retryNotice(task, lost, { waitMs: 4000, leftMs: 41_000 })).toBe(
      "tweetload: lost the connection to pg_normalized (terminating connection due to administrator command); retrying data/day.jsonl in 4 s, 41 s left (--retry-for)",
    );
  });

  it("tells a deadlock from a lost connection and never shows the password", () => {
    const deadlock = new Error("outer", {
      cause: Object.assign(new Error("deadlock detected"), { code: "40P01" }),
    });
    expect(retryNotice(task, deadlock, { waitMs: 250, leftMs: 90_000 })).toMatch(
      /^tweetload: hit a deadlock or serialization failure in pg_normalized \(outer\); retrying data\/day.jsonl in 250 ms, 1 min 30 s left/,
    );
    const leaky = new Error("connect failed for postgres://me:s3cret@db/pg_normalized");
    expect(retryNotice(task, leaky, { waitMs: 1, leftMs: 1 })).not.toMatch(/s3cret/);
  });

  it("formats durations for people", () => {
    expect([250, 4000, 60_000, 61_000].map(formatDuration)).toEqual([
      "250 ms",
      "4 s",
      "1 min",
      "1 min 1 s",
    ]);
  });
});
