import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

// Starts a pool of the compiled worker (npm run build) and stops it soon after, as a load
// that fails on a bad URL does: after 0, 10, … 150 ms, so that some stops fall while the
// workers load their modules.
const script = `
  const { startWorkerPool } = await import(${JSON.stringify(new URL("../../../dist/run/pool.js", import.meta.url).href)});
  const { setTimeout: sleep } = await import("node:timers/promises");
  for (let ms = 0; ms <= 150; ms += 10) {
    const pool = startWorkerPool(2, 1000);
    await sleep(ms);
    await pool.destroy();
  }
  console.log("stopped cleanly");
`;

describe("worker pool", () => {
  it("can be stopped while its workers still load their modules", async () => {
    // Three processes at once: the abort this guards against (Node 20 terminating a worker in
    // the middle of loading an ES module) showed up under load, in a few percent of stops.
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        run(process.execPath, ["--input-type=module", "-e", script], { timeout: 60_000 }).then(
          (r) => ({ code: 0, out: r.stdout }),
          (e: { code?: number | null; signal?: string; stderr?: string }) => ({
            code: e.code ?? e.signal,
            out: e.stderr ?? "",
          }),
        ),
      ),
    );
    for (const r of results) expect(r).toEqual({ code: 0, out: "stopped cleanly\n" });
  }, 90_000);
});
