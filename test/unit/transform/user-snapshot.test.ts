import { describe, expect, it } from "vitest";
import { outranks, type SnapshotRank } from "../../../src/transform/user-snapshot.js";

const at = (hydrated: boolean, updatedAt: string | null, tweetId: string): SnapshotRank => ({
  hydrated,
  updatedAt,
  tweetId,
});

describe("outranks (docs/contract/tweet-to-rows.md: Users, which snapshot)", () => {
  it.each([
    [
      "hydrated beats a later unhydrated row",
      at(true, "2021-01-01T00:00:00+00:00", "1"),
      at(false, "2021-01-09T00:00:00+00:00", "9"),
      true,
    ],
    [
      "unhydrated never beats hydrated",
      at(false, "2021-01-09T00:00:00+00:00", "9"),
      at(true, "2021-01-01T00:00:00+00:00", "1"),
      false,
    ],
    [
      "the later tweet wins",
      at(true, "2021-01-02T00:00:00+00:00", "1"),
      at(true, "2021-01-01T23:59:59+00:00", "9"),
      true,
    ],
    [
      "times compare as instants, not as text",
      at(false, "2021-01-02T01:00:00+02:00", "2"),
      at(false, "2021-01-01T23:30:00+00:00", "1"),
      false,
    ],
    [
      "a missing time is the earliest",
      at(true, null, "9"),
      at(true, "1970-01-01T00:00:00+00:00", "1"),
      false,
    ],
    [
      "equal times: the greater id, exact above 2^53",
      at(true, "2021-01-01T00:00:00+00:00", "9007199254740993"),
      at(true, "2021-01-01T00:00:00+00:00", "9007199254740992"),
      true,
    ],
    [
      "the same snapshot does not replace itself",
      at(true, "2021-01-01T00:00:00+00:00", "5"),
      at(true, "2021-01-01T00:00:00+00:00", "5"),
      false,
    ],
  ])("%s", (_, a, b, wins) => {
    expect(outranks(a, b)).toBe(wins);
  });
});
