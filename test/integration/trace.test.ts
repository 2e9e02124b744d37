import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";
import { runCli, targetFlags, tweetLines } from "./input-helpers.js";

let dir: string;
let db: FreshDatabase;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-trace-"));
  db = await freshDatabase("denormalized");
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("TWEETLOAD_TRACE", () => {
  it("prints each start-up step of the main thread and the workers on one clock, in the order they happen", async () => {
    const files = [0, 1].map((f) => join(dir, `t-${f}.jsonl`));
    for (const [f, file] of files.entries()) {
      await writeFile(file, `${tweetLines(f * 50, 50).join("\n")}\n`);
    }
    const args = [
      "load",
      "--db",
      "denormalized",
      "--jobs",
      "2",
      ...targetFlags({ denormalized: db.url }),
      ...files,
    ];
    const traced = await runCli(args, { env: { TWEETLOAD_TRACE: "1" } });
    expect(traced.code, traced.stderr).toBe(0);
    const steps = [...traced.stderr.matchAll(/^trace +([\d.]+) ms {2}(.*)$/gm)].map((m) => ({
      ms: Number(m[1]),
      step: m[2] as string,
    }));
    const at = (pattern: RegExp) => {
      const found = steps.filter((s) => pattern.test(s.step));
      expect(found.length, `${pattern} in\n${traced.stderr}`).toBeGreaterThan(0);
      return found.map((s) => s.ms);
    };
    const [modules] = at(/^CLI modules loaded$/);
    const [checked] = at(/^denormalized checked/);
    const workers = at(/^worker modules loaded$/);
    const loading = at(/^journal checked, loading /);
    const [done] = at(/^files done$/);
    expect(workers).toHaveLength(2);
    expect(loading).toHaveLength(2);
    // Node's own start counts: the first step is not at 0.
    expect(modules).toBeGreaterThan(0);
    for (const ms of loading) {
      expect(ms).toBeGreaterThan(checked as number);
      expect(ms).toBeGreaterThan(Math.min(...workers));
      expect(ms).toBeLessThan(done as number);
    }
    // Without the variable, not one trace line.
    const plain = await runCli([...args, "--force"]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toMatch(/^trace /m);
  });
});
