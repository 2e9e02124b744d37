import { describe, expect, it } from "vitest";
import { skippedMemberNotes } from "../../../src/report/skipped-notes.js";
import type { FileReport } from "../../../src/run/types.js";

const report = (file: string, db: FileReport["db"], names: string[]) => ({
  file,
  db,
  tweets: 0,
  rejects: 0,
  seconds: 0,
  tweetsPerSecond: 0,
  skippedMembers: names.map((name) => ({
    name,
    reason: name.endsWith("/")
      ? "a directory entry"
      : "macOS resource data (__MACOSX/), not tweets",
  })),
  status: "loaded" as const,
});

describe("skippedMemberNotes", () => {
  it("gives one line per archive and reason, once however many databases, with the first names", () => {
    const mac = ["__MACOSX/._a", "__MACOSX/._b", "__MACOSX/._c", "__MACOSX/._d", "day/"];
    expect(
      skippedMemberNotes(<FileReport[]>[
        report("x.zip", "denormalized", mac),
        report("x.zip", "normalized", mac),
        { ...report("y.zip", "denormalized", []), skippedMembers: undefined },
      ]),
    ).toEqual([
      "passed over 4 members of x.zip: __MACOSX/._a, __MACOSX/._b, __MACOSX/._c, and 1 more: macOS resource data (__MACOSX/), not tweets",
      "passed over 1 member of x.zip: day/: a directory entry",
    ]);
  });
});
