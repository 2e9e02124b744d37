import { describe, expect, it } from "vitest";
import { damagedMemberNotes, skippedMemberNotes } from "../../../src/report/skipped-notes.js";
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

describe("damagedMemberNotes", () => {
  it("names each damaged tar member once per archive, with its reason", () => {
    const members = [
      { member: "2012/01/01/00/00.json.bz2", tweets: 3, rejects: 0, notices: {} },
      {
        member: "2012/01/01/00/01.json.bz2",
        tweets: 0,
        rejects: 1,
        notices: {},
        damaged: "the member is damaged (bad): none of its lines were loaded",
      },
    ];
    const files = <FileReport[]>[
      { ...report("m.tar", "denormalized", []), members },
      { ...report("m.tar", "normalized", []), members },
      report("x.zip", "denormalized", []),
    ];
    expect(damagedMemberNotes(files)).toEqual([
      "damaged member 2012/01/01/00/01.json.bz2 of m.tar: the member is damaged (bad): none of its lines were loaded",
    ]);
  });
});
