import { describe, expect, it } from "vitest";
import { errorCode, errorKind, errorKinds, isTransient } from "../../src/errors.js";

const coded = (code: string, message = `code ${code}`) =>
  Object.assign(new Error(message), { code });

describe("the one reading of an error's code", () => {
  it.each([
    ["40P01", "conflict"],
    ["40001", "conflict"],
    ["57P01", "lost"],
    ["08006", "lost"],
    ["ECONNRESET", "lost"],
    ["ECONNREFUSED", "refused"],
    ["22P02", "data"],
    ["23514", "data"],
    ["54001", "data"],
    ["57014", "canceled"],
    ["28P01", "login"],
    ["28000", "login"],
    ["3D000", "no-database"],
    ["SELF_SIGNED_CERT_IN_CHAIN", "untrusted"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "untrusted"],
    ["42P01", "fatal"],
  ])("reads %s as %s", (code, kind) => {
    expect(errorKind(coded(code))).toBe(kind);
  });

  it("reads node-postgres' closed-socket messages, which carry no code, as a lost connection", () => {
    expect(errorKind(new Error("Connection terminated unexpectedly"))).toBe("lost");
    expect(errorKind(new Error("syntax error"))).toBe("fatal");
    expect(errorKind(null)).toBe("fatal");
    expect(errorCode({ code: 5 })).toBeUndefined();
  });

  it("finds a transient cause under an error that wraps it, and nothing transient in data errors", () => {
    const wrapped = new Error("line 3: x", { cause: coded("57P01") });
    expect(errorKinds(wrapped)).toEqual(["fatal", "lost"]);
    expect(isTransient(wrapped)).toBe(true);
    expect(isTransient(coded("23505"))).toBe(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isTransient(loop)).toBe(false);
  });
});
