import { describe, expect, it } from "vitest";
import { clientConfig, withSslEnv } from "../../../src/db/connection-config.js";

const URL_BASE = "postgres://u:p@db.example:5432/pg_normalized";
const ssl = (url: string, env: NodeJS.ProcessEnv = {}) => clientConfig(url, {}, env).ssl;

describe("sslmode as libpq reads it", () => {
  it("maps each mode onto node-postgres' ssl options", () => {
    expect(ssl(`${URL_BASE}?sslmode=disable`)).toBe(false);
    expect(ssl(`${URL_BASE}?sslmode=allow`)).toBe(false); // plain first (connectClient retries)
    expect(ssl(`${URL_BASE}?sslmode=prefer`)).toMatchObject({ rejectUnauthorized: false });
    expect(ssl(`${URL_BASE}?sslmode=require`)).toMatchObject({ rejectUnauthorized: false });
    const full = ssl(`${URL_BASE}?sslmode=verify-full`);
    expect(full).toEqual({});
  });

  it("checks the CA but not the host for verify-ca, and for require given a root certificate", () => {
    const root = new URL(import.meta.url).pathname; // any readable file stands in for a CA
    for (const mode of ["verify-ca", "require"]) {
      const options = ssl(`${URL_BASE}?sslmode=${mode}&sslrootcert=${root}`) as {
        ca?: string;
        rejectUnauthorized?: boolean;
        checkServerIdentity?: () => undefined;
      };
      expect(options.ca).toContain("sslmode as libpq reads it");
      expect(options.rejectUnauthorized).not.toBe(false);
      expect(options.checkServerIdentity?.()).toBeUndefined();
    }
  });

  it("leaves a URL without sslmode, and node-postgres' no-verify, to pg", () => {
    expect(clientConfig(URL_BASE, {}, {})).toEqual({ connectionString: URL_BASE });
    const noVerify = `${URL_BASE}?sslmode=no-verify`;
    expect(clientConfig(noVerify, {}, {})).toEqual({ connectionString: noVerify });
  });

  it("refuses an unknown mode, and verify-ca without its CA, in a sentence", () => {
    expect(() => ssl(`${URL_BASE}?sslmode=requir`)).toThrow(
      /sslmode=requir is not an SSL mode: use disable, allow, prefer, require, verify-ca or verify-full/,
    );
    expect(() => ssl(`${URL_BASE}?sslmode=verify-ca`)).toThrow(/sslrootcert=\/path\/to\/root.crt/);
  });

  it("reads PGSSLMODE and PGSSLROOTCERT where the URL names no mode", () => {
    expect(ssl(URL_BASE, { PGSSLMODE: "require" })).toMatchObject({ rejectUnauthorized: false });
    expect(ssl(`${URL_BASE}?sslmode=disable`, { PGSSLMODE: "require" })).toBe(false);
    expect(withSslEnv(URL_BASE, { PGSSLMODE: "verify-ca", PGSSLROOTCERT: "/ca.crt" })).toBe(
      `${URL_BASE}?sslmode=verify-ca&sslrootcert=%2Fca.crt`,
    );
  });

  it("keeps the caller's options beside the URL's", () => {
    const config = clientConfig(`${URL_BASE}?sslmode=require`, { application_name: "x" }, {});
    expect(config).toMatchObject({ application_name: "x", host: "db.example", port: 5432 });
    expect(config.password).toBe("p");
  });
});
