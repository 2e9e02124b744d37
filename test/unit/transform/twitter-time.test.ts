import { describe, expect, it } from "vitest";
import { BadLineError } from "../../../src/errors.js";
import { v1Time, v2Time } from "../../../src/transform/twitter-time.js";

describe("created_at in v1.1's form (docs/line-rules.md)", () => {
  it.each([
    ["Fri Jan 01 12:34:56 +0000 2021", "2021-01-01T12:34:56+00:00"],
    ["Sun Dec 31 23:59:59 -0530 2023", "2023-12-31T23:59:59-05:30"],
    ["Thu Feb 29 00:00:00 +0000 2024", "2024-02-29T00:00:00+00:00"],
    ["Wed Mar 21 20:50:14 +0000 2006", "2006-03-21T20:50:14+00:00"],
    [null, null],
    [undefined, null],
  ])("%j → %j", (input, output) => {
    expect(v1Time(input, "created_at")).toBe(output);
  });

  it.each([
    ["v2's form in a v1.1 tweet", "2021-01-01T12:00:00Z"],
    ["seconds since the epoch", 1609502400],
    ["HTTP's form", "Fri, 01 Jan 2021 12:00:00 GMT"],
    ["garbage", "garbage"],
    ["a two-digit year", "Fri Jan 01 12:00:00 +0000 21"],
    ["February 30", "Fri Feb 30 12:00:00 +0000 2021"],
    ["February 29 of a common year", "Mon Feb 29 12:00:00 +0000 2021"],
    ["hour 24", "Fri Jan 01 24:00:00 +0000 2021"],
    ["a weekday that is not one", "Xyz Jan 01 12:00:00 +0000 2021"],
    ["an offset past 14 hours", "Fri Jan 01 12:00:00 +1500 2021"],
    ["year 0000", "Sat Jan 01 00:00:00 +0000 0000"],
    ["a month in capitals", "Fri JAN 01 12:00:00 +0000 2021"],
    ["an empty string", ""],
  ])("rejects %s, naming the field and the value", (_name, value) => {
    expect(() => v1Time(value, "user.created_at")).toThrow(BadLineError);
    expect(() => v1Time(value, "user.created_at")).toThrow(
      /^user\.created_at .* is not a real date in v1\.1's form/,
    );
  });

  it("agrees with Date on the instant", () => {
    const iso = v1Time("Tue Feb 02 03:04:05 +0100 2021", "created_at") as string;
    expect(new Date(iso).toISOString()).toBe("2021-02-02T02:04:05.000Z");
  });
});

describe("created_at in v2's form (docs/line-rules.md)", () => {
  it.each(["2021-01-01T12:00:00.000Z", "2021-01-01T12:00:00Z", "2021-01-01T12:00:00.5+01:00"])(
    "takes %s as it is",
    (value) => {
      expect(v2Time(value, "created_at")).toBe(value);
    },
  );

  it.each([
    "Fri Jan 01 12:00:00 +0000 2021",
    "2021-02-30T12:00:00.000Z",
    "2021-01-01 12:00:00Z",
    "2021-01-01T12:00:00.0005Z",
    "2021-01-01T12:00:00",
    "9999-12-31T23:00:00-14:00",
    "21-01-01T12:00:00Z",
  ])("rejects %s", (value) => {
    expect(() => v2Time(value, "author.created_at")).toThrow(
      /^author\.created_at .* is not a real date in v2's form/,
    );
  });
});
