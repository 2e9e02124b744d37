import { describe, expect, it } from "vitest";
import { isFlat } from "../soak/memory-sampler.js";

describe("the soak test's flatness rule", () => {
  it("passes a plateau with noise and fails a steady climb", () => {
    const plateau = Array.from({ length: 60 }, (_, i) => 200 + (i % 7) * 5);
    const warmUp = [50, 120, 180, ...plateau];
    const leak = Array.from({ length: 60 }, (_, i) => 200 + i * 6);
    expect(isFlat(warmUp)).toBe(true);
    expect(isFlat(leak)).toBe(false);
    expect(isFlat([10, 500, 20])).toBe(true); // too short to tell
  });
});
