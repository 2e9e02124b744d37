import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { projectPath } from "../../src/paths.js";
import { startCli, startThrowawayServer, type ThrowawayServer, urlFlags } from "./fault-helpers.js";
import { adminUrl } from "./helpers/database.js";

// `sslmode=require` failed on a server with a self-signed certificate,
// because node-postgres verifies the certificate where libpq only encrypts. The server here
// has a certificate made by openssl for another name (CN=tweetload-test-server), signed by
// itself: libpq's require and verify-ca (given it as the CA) connect, verify-full refuses.

const run = promisify(execFile);
let dir: string;
let server: ThrowawayServer;
let certFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-ssl-"));
  certFile = join(dir, "server.crt");
  const keyFile = join(dir, "server.key");
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=tweetload-test-server",
    "-keyout",
    keyFile,
    "-out",
    certFile,
  ]);
  server = await startThrowawayServer({ ssl: { certFile, keyFile } });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const withMode = (url: string, params: string) => `${url}${url.includes("?") ? "&" : "?"}${params}`;

/** Whether the connection for `url` is encrypted, as the server sees it. */
const encrypted = (url: string) =>
  withClient(url, async (c) => {
    const { rows } = await c.query<{ ssl: boolean }>(
      "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    );
    return rows[0]?.ssl;
  });

describe("sslmode as libpq documents it", () => {
  it("regression: sslmode=require refused a self-signed certificate; it encrypts without verifying", async () => {
    const url = server.targets.denormalized;
    expect(await encrypted(withMode(url, "sslmode=require"))).toBe(true);
    expect(await encrypted(withMode(url, "sslmode=prefer"))).toBe(true);
    expect(await encrypted(withMode(url, "sslmode=allow"))).toBe(false);
    expect(await encrypted(withMode(url, "sslmode=disable"))).toBe(false);
    expect(await encrypted(withMode(url, `sslmode=verify-ca&sslrootcert=${certFile}`))).toBe(true);
  });

  it("verify-full refuses a certificate it cannot trust or that names another host", async () => {
    const url = server.targets.denormalized;
    await expect(encrypted(withMode(url, "sslmode=verify-full"))).rejects.toThrow(
      /self[- ]signed certificate/,
    );
    await expect(
      encrypted(withMode(url, `sslmode=verify-full&sslrootcert=${certFile}`)),
    ).rejects.toThrow(/does not match certificate's altnames|Hostname\/IP does not match/);
    await expect(encrypted(withMode(url, "sslmode=verify-ca"))).rejects.toThrow(
      /sslmode=verify-ca .*sslrootcert=/,
    );
    await expect(encrypted(withMode(url, "sslmode=bogus"))).rejects.toThrow(
      /sslmode=bogus is not an SSL mode: use disable, allow, prefer, require/,
    );
  });

  it("prefer falls back to a plain connection on a server without SSL, as libpq does", async () => {
    const admin = adminUrl();
    const hasSsl = await withClient(
      admin,
      async (c) =>
        (await c.query<{ on: string }>("SELECT current_setting('ssl') AS on")).rows[0]?.on === "on",
    );
    expect(await encrypted(withMode(admin, "sslmode=prefer"))).toBe(hasSsl);
  });

  it("a load with sslmode=require works, and verify-full fails in one sentence with what to do", async () => {
    const file = projectPath("data", "geoTwitter21-01-01.zip");
    const url = withMode(server.targets.denormalized, "sslmode=require");
    const ok = await startCli([
      "load",
      "--db",
      "denormalized",
      ...urlFlags({ denormalized: url }),
      file,
    ]).done;
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/loaded/);
    const strict = withMode(server.targets.normalized, "sslmode=verify-full");
    const refused = await startCli([
      "load",
      "--db",
      "normalized",
      ...urlFlags({ normalized: strict }),
      file,
    ]).done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /cannot use pg_normalized at .*sslmode=verify-full.*self[- ]signed certificate.*sslmode=require/,
    );
  });
});
