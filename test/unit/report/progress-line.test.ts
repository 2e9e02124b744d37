import { describe, expect, it } from "vitest";
import { ProgressTicker } from "../../../src/report/progress-line.js";
import type { FileReport } from "../../../src/run/types.js";

const done = (file: string, tweets: number, status: FileReport["status"] = "loaded") => ({
  type: "done" as const,
  report: {
    file,
    db: "normalized" as const,
    tweets,
    rejects: 0,
    notices: {},
    seconds: 1,
    tweetsPerSecond: 1,
    status,
  },
});

describe("ProgressTicker", () => {
  it("counts finished files and the tweets of files done and in flight, and the rate since the last line", () => {
    const ticker = new ProgressTicker(3, 0, () => {});
    const t0 = performance.now();
    ticker.listener({ type: "start", file: "a", db: "normalized" });
    ticker.listener({ type: "progress", file: "a", db: "normalized", tweets: 2000 });
    ticker.listener({ type: "start", file: "b", db: "normalized" });
    ticker.listener(done("b", 3000));
    expect(ticker.line(t0 + 10_000)).toMatch(
      /^progress 10\.0 s: 1 of 3 files done, 5,000 tweets, 500 tweets\/s \(last 10\.0 s\), 500 tweets\/s overall$/,
    );
    // A finished file's count replaces its running one; a failed file's tweets were rolled back.
    ticker.listener(done("a", 2500));
    ticker.listener({ type: "start", file: "c", db: "normalized" });
    ticker.listener({ type: "progress", file: "c", db: "normalized", tweets: 1000 });
    ticker.listener(done("c", 0, "failed"));
    expect(ticker.line(t0 + 20_000)).toMatch(
      /^progress 20\.0 s: 3 of 3 files done, 5,500 tweets, 50 tweets\/s \(last 10\.0 s\), 275 tweets\/s overall$/,
    );
  });

  it("writes a line every period while it runs, none after stop, none at all with period 0", async () => {
    const lines: string[] = [];
    const ticker = new ProgressTicker(1, 20, (line) => lines.push(line));
    await new Promise((r) => setTimeout(r, 130));
    ticker.stop();
    const written = lines.length;
    expect(written).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 60));
    expect(lines).toHaveLength(written);
    const never: string[] = [];
    const off = new ProgressTicker(1, 0, (line) => never.push(line));
    await new Promise((r) => setTimeout(r, 40));
    off.stop();
    expect(never).toEqual([]);
  });
});
