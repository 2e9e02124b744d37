import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { SharedIdSet } from "../../../src/load/normalized-batched/shared-id-set.js";

describe("SharedIdSet", () => {
  it("holds the ids added and no others, 64-bit ids exactly", () => {
    const set = new SharedIdSet();
    const big = "9223372036854775807"; // 2^63 - 1
    for (const id of ["1", "42", big, "1345874005055003989"]) set.add(id);
    set.add("42");
    expect(set.size).toBe(4);
    for (const id of ["1", "42", big, "1345874005055003989"]) expect(set.has(id)).toBe(true);
    // Neighbours that a double would confuse with the ids above are absent.
    for (const id of ["2", "9223372036854775806", "1345874005055003988", "1345874005055003990"]) {
      expect(set.has(id)).toBe(false);
    }
  });

  it("never keeps an id the database could not hold, nor text that is not an id", () => {
    const set = new SharedIdSet();
    for (const id of ["0", "-5", "9223372036854775808", "abc", ""]) set.add(id);
    expect(set.size).toBe(0);
    for (const id of ["0", "-5", "9223372036854775808", "abc", ""]) expect(set.has(id)).toBe(false);
  });

  it("finds ids whose slots collide (probing past occupied slots)", () => {
    const set = new SharedIdSet();
    const ids = Array.from({ length: 50_000 }, (_, i) => String(1_000_000_000_000 + i * 7));
    for (const id of ids) set.add(id);
    expect(set.size).toBe(ids.length);
    expect(ids.every((id) => set.has(id))).toBe(true);
    expect(ids.some((id) => set.has(String(BigInt(id) + 1n)))).toBe(false);
  });

  it("starts again once half full, and goes on taking ids", () => {
    const set = new SharedIdSet();
    const half = (new BigInt64Array(set.buffer).length - 1) / 2;
    for (let i = 1; i <= half; i++) set.add(String(i));
    expect(set.size).toBe(half);
    expect(set.has("1")).toBe(true);
    set.add("123456789012345");
    expect(set.size).toBe(1);
    expect(set.has("123456789012345")).toBe(true);
    expect(set.has("1")).toBe(false);
  });

  it("shows each thread the ids another thread added to the same buffer", async () => {
    // The worker runs the compiled module, as the pool's workers do (npm run build).
    const compiled = new URL(
      "../../../dist/load/normalized-batched/shared-id-set.js",
      import.meta.url,
    ).href;
    const set = new SharedIdSet();
    set.add("7");
    const worker = new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
       import(workerData.compiled).then(({ SharedIdSet }) => {
         const set = new SharedIdSet(workerData.buffer);
         set.add("1345874005055003989");
         parentPort.postMessage(set.has("7"));
       });`,
      { eval: true, workerData: { compiled, buffer: set.buffer } },
    );
    const sawMainThreadId = await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await worker.terminate();
    expect(sawMainThreadId).toBe(true);
    expect(set.has("1345874005055003989")).toBe(true);
    expect(set.size).toBe(2);
  });
});
