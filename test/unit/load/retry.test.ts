import { describe, expect, it } from "vitest";
import { isRetryable, retryTransaction } from "../../../src/load/retry.js";

const pgError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

describe("retryTransaction", () => {
  it.each(["40P01", "40001"])(
    "repeats the transaction after %s until it succeeds",
    async (code) => {
      let calls = 0;
      const result = await retryTransaction(async () => {
        calls++;
        if (calls < 3) throw pgError(code);
        return "done";
      });
      expect([result, calls]).toEqual(["done", 3]);
    },
  );

  it("gives up after the given number of tries with the last error", async () => {
    let calls = 0;
    const attempt = retryTransaction(async () => {
      calls++;
      throw pgError("40P01");
    }, 3);
    await expect(attempt).rejects.toThrow(/40P01/);
    expect(calls).toBe(3);
  });

  it("passes other errors through at once", async () => {
    let calls = 0;
    await expect(
      retryTransaction(async () => {
        calls++;
        throw pgError("23505");
      }),
    ).rejects.toThrow(/23505/);
    expect(calls).toBe(1);
    expect(isRetryable(null)).toBe(false);
    expect(isRetryable(new Error("x"))).toBe(false);
  });
});
