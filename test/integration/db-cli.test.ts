import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runningEmbeddedTargets } from "../../src/db/embedded-state.js";
import { DB_KINDS } from "../../src/db/kinds.js";
import { projectPath } from "../../src/paths.js";

// The built CLI, as a user runs it: `npm test` builds dist/ first (pretest).
const BIN = projectPath("bin", "tweetload.js");
const BUILT = projectPath("dist", "cli", "commands", "db.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tweetload(
  args: string[],
  home: string,
  onStderr?: (text: string, child: ChildProcess) => void,
) {
  return new Promise<Run>((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TWEETLOAD_HOME: home };
    for (const name of Object.keys(env)) if (/^(PG|TWEETLOAD_.*_URL$)/.test(name)) delete env[name];
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
      onStderr?.(stderr, child);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Command lines of live processes that mention `home` (the postgres servers name their data dir). */
async function processesOf(home: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const [cmdline, stat] = await Promise.all([
      readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => ""),
      readFile(`/proc/${pid}/stat`, "utf8").catch(() => ""),
    ]);
    const zombie = stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
    if (!zombie && cmdline.includes(home)) found.push(`${pid}: ${cmdline.replaceAll("\0", " ")}`);
  }
  return found;
}

describe.skipIf(process.platform !== "linux")("tweetload db up / status / down", () => {
  let home: string;
  beforeAll(async () => {
    expect(existsSync(BUILT), "dist/ is missing or old: run `npm run build` first").toBe(true);
    home = await mkdtemp(join(tmpdir(), "tweetload-home-"));
    // As root the clusters run as the postgres account, which must reach the folder.
    await chmod(home, 0o755);
  });
  afterAll(async () => {
    if (!home) return;
    await tweetload(["db", "down"], home);
    await rm(home, { recursive: true, force: true });
  });

  it("starts three clusters that outlive the command, reuses them, reports them and stops them", async () => {
    const up = await tweetload(["db", "up"], home);
    expect(up.code, up.stderr).toBe(0);
    for (const db of ["pg_denormalized", "pg_normalized", "pg_normalized_batch"]) {
      expect(up.stdout).toMatch(
        new RegExp(`${db} +postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/${db}`),
      );
    }
    const targets = await runningEmbeddedTargets(home);
    expect(targets).toBeDefined();

    const again = await tweetload(["db", "up"], home);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/pg_normalized: running/);
    expect(await runningEmbeddedTargets(home)).toEqual(targets);

    const status = await tweetload(["db", "status", "--json"], home);
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout);
    for (const kind of DB_KINDS) {
      expect(report.databases[kind]).toMatchObject({ reachable: true, geoMode: "text" });
      expect(report.databases[kind].url).not.toContain(new URL(targets?.normalized ?? "").password);
    }
    expect(report.databases.normalized.rowCounts).toMatchObject({ tweets: 0, urls: 0, users: 0 });
    expect(report.databases.denormalized.rowCounts).toEqual({ tweets_jsonb: 0 });
    expect(report.databases.denormalized.storage).toBe("inline");
    expect(report.databases.normalized.storage).toBeUndefined();

    // The embedded build has no lz4: refused with what to choose instead; pglz is given.
    const lz4 = await tweetload(["db", "reset", "--db", "denormalized", "--storage", "lz4"], home);
    expect(lz4.code).toBe(1);
    expect(lz4.stderr).toMatch(/built without lz4; choose --storage inline or pglz/);
    const pglz = await tweetload(
      ["db", "reset", "--db", "denormalized", "--storage", "pglz"],
      home,
    );
    expect(pglz.code, pglz.stderr).toBe(0);
    expect(pglz.stdout).toMatch(/reset pg_denormalized \(.*\), storage pglz/);
    const text = await tweetload(["db", "status"], home);
    expect(text.stdout).toMatch(/pg_denormalized .*\n.*\n {2}storage: pglz/);

    const down = await tweetload(["db", "down"], home);
    expect(down.code, down.stderr).toBe(0);
    expect(await processesOf(home)).toEqual([]);
    expect(await runningEmbeddedTargets(home)).toBeUndefined();

    const after = await tweetload(["db", "status"], home);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(/stopped/);
  });

  it("stops what it started when interrupted during `db up`", async () => {
    const other = await mkdtemp(join(tmpdir(), "tweetload-home-"));
    await chmod(other, 0o755);
    try {
      let sent = false;
      const run = await tweetload(["db", "up"], other, (stderr, child) => {
        // Interrupt once the first cluster runs and the next is being made.
        if (!sent && /started on port/.test(stderr)) {
          sent = true;
          child.kill("SIGINT");
        }
      });
      expect(sent).toBe(true);
      expect(run.code, run.stderr).toBe(130);
      expect(run.stderr).toMatch(/interrupted by SIGINT/);
      expect(await processesOf(other)).toEqual([]);
    } finally {
      await tweetload(["db", "down"], other);
      await rm(other, { recursive: true, force: true });
    }
  });
});
