import { execFile, execFileSync } from "node:child_process";
import {
  chmod,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCEPTED_NAMES } from "../../src/input/archive-members.js";
import { projectPath } from "../../src/paths.js";

const run = promisify(execFile);

function onPath(program: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const hasGnuParallel = onPath("parallel");
const SCRIPTS = ["load_denormalized.sh", "load_tweets_sequential.sh", "load_tweets_parallel.sh"];

/**
 * A throwaway copy of the project holding only what the scripts touch: the scripts, a
 * stand-in for the built CLI, and a data folder. A fake `node` first on PATH records each
 * call's arguments (one `[arg]` per argument) instead of loading anything, and fails for
 * the databases named in $FAIL_DB, so these tests check what the scripts ask of the CLI.
 */
let project: string;
let fakeBin: string;
let callLog: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "tweetload-scripts-"));
  await cp(projectPath("scripts"), join(project, "scripts"), { recursive: true });
  await mkdir(join(project, "bin"));
  await writeFile(join(project, "bin", "tweetload.js"), "// stand-in\n");
  await mkdir(join(project, "dist", "cli"), { recursive: true });
  await writeFile(join(project, "dist", "cli", "main.js"), "// stand-in\n");
  await mkdir(join(project, "data dir"));
  for (const name of ["b.zip", "a day.jsonl", "c.jsonl.gz", "notes.txt"]) {
    await writeFile(join(project, "data dir", name), "");
  }
  fakeBin = join(project, "fake-bin");
  await mkdir(fakeBin);
  callLog = join(project, "calls.log");
  const fakeNode = [
    "#!/bin/sh",
    'line=""',
    'for arg; do line="$line[$arg]"; done',
    `printf '%s\\n' "$line" >> "${callLog}"`,
    'case "$*" in *"--db $FAIL_DB "*) echo "load failed" >&2; exit 3 ;; esac',
  ].join("\n");
  await writeFile(join(fakeBin, "node"), `${fakeNode}\n`);
  await chmod(join(fakeBin, "node"), 0o755);
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  calls: string[];
}

/** Runs one script of the copy under `sh` with a clean environment: no database named. */
async function runScript(
  script: string,
  args: string[] = [],
  opts: { env?: Record<string, string>; path?: string } = {},
): Promise<Outcome> {
  await rm(callLog, { force: true });
  const env: Record<string, string> = {
    PATH: opts.path ?? `${fakeBin}${delimiter}${process.env.PATH ?? ""}`,
    HOME: project,
    TWEETLOAD_DATA_DIR: join(project, "data dir"),
    FAIL_DB: "none",
    ...opts.env,
  };
  let code = 0;
  let stdout = "";
  let stderr = "";
  try {
    ({ stdout, stderr } = await run("/bin/sh", [join(project, "scripts", script), ...args], {
      env,
    }));
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    ({ code, stdout, stderr } = failure);
  }
  const calls = await readFile(callLog, "utf8").then(
    (text) => text.trim().split("\n"),
    () => [],
  );
  return { code, stdout, stderr, calls };
}

/** A PATH of symlinks to every program on the real PATH except the ones named. */
async function pathWithout(...missing: string[]): Promise<string> {
  const dir = await mkdtemp(join(project, "path-"));
  const seen = new Set(missing);
  for (const folder of (process.env.PATH ?? "").split(delimiter)) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      await symlink(join(folder, name), join(dir, name));
    }
  }
  return dir;
}

const cli = () => `[${join(project, "bin", "tweetload.js")}]`;
const file = (name: string) => `[${join(project, "data dir", name)}]`;
const URLS = {
  TWEETLOAD_DENORMALIZED_URL: "postgres://me:secret@db.example:5432/pg_denormalized",
  TWEETLOAD_NORMALIZED_URL: "postgres://me:secret@db.example:5432/pg_normalized",
  TWEETLOAD_NORMALIZED_BATCH_URL: "postgres://me:secret@db.example:5432/pg_normalized_batch",
};

describe.skipIf(!onPath("shellcheck"))("shellcheck", () => {
  it("finds nothing to complain about in any script", async () => {
    const files = [...SCRIPTS, "lib/common.sh"];
    const result = await run("shellcheck", ["-x", ...files], { cwd: projectPath("scripts") }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    expect(result.stdout).toBe("");
  });
});

describe("load_tweets_sequential.sh", () => {
  it("loads the archives of the data folder in name order, one worker, once per database", async () => {
    const out = await runScript("load_tweets_sequential.sh", [], { env: URLS });
    expect(out.code).toBe(0);
    const files = `${file("a day.jsonl")}${file("b.zip")}${file("c.jsonl.gz")}`;
    expect(out.calls).toEqual(
      ["denormalized", "normalized", "normalized_batch"].map(
        (db) => `${cli()}[load][--db][${db}][--jobs][1]${files}`,
      ),
    );
    expect(out.stdout).toContain("load normalized_batch: 3 files, sequentially");
    expect(out.stderr).toMatch(/^real /m);
  });

  it("never prints a password from the URLs", async () => {
    const out = await runScript("load_tweets_sequential.sh", ["denormalized"], { env: URLS });
    expect(out.stdout).toContain("postgres://me:***@db.example:5432/pg_denormalized");
    expect(out.stdout + out.stderr).not.toContain("secret");
  });

  it("loads only the databases named as arguments or in TWEETLOAD_DBS", async () => {
    const byArg = await runScript("load_tweets_sequential.sh", ["normalized_batch"], { env: URLS });
    expect(byArg.calls.map((call) => call.split("][")[3])).toEqual(["normalized_batch"]);
    const byEnv = await runScript("load_tweets_sequential.sh", [], {
      env: { ...URLS, TWEETLOAD_DBS: "denormalized,normalized" },
    });
    expect(byEnv.calls.map((call) => call.split("][")[3])).toEqual(["denormalized", "normalized"]);
  });

  it("refuses an unknown database by name", async () => {
    const out = await runScript("load_tweets_sequential.sh", ["normalised"], { env: URLS });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/unknown database `normalised`/);
    expect(out.calls).toEqual([]);
  });

  it("starts the embedded databases first when no database is named", async () => {
    const out = await runScript("load_tweets_sequential.sh", ["denormalized"]);
    expect(out.code).toBe(0);
    expect(out.calls[0]).toBe(`${cli()}[db][up]`);
    expect(out.calls).toHaveLength(2);
  });

  it("loads the other databases when one fails, then exits non-zero naming it", async () => {
    const out = await runScript("load_tweets_sequential.sh", [], {
      env: { ...URLS, FAIL_DB: "normalized" },
    });
    expect(out.code).toBe(1);
    expect(out.calls).toHaveLength(3);
    expect(out.stderr).toMatch(/loading failed for: normalized$/m);
  });

  it("says what to do when the data folder holds no archive", async () => {
    const empty = await mkdtemp(join(project, "empty-"));
    const out = await runScript("load_tweets_sequential.sh", [], {
      env: { ...URLS, TWEETLOAD_DATA_DIR: empty },
    });
    expect(out.code).not.toBe(0);
    // The names tweetload load takes, in the same words.
    expect(out.stderr).toContain(`no archives (${ACCEPTED_NAMES}) in `);
  });

  it("says to build the CLI when dist/ is missing", async () => {
    await rename(join(project, "dist"), join(project, "dist-away"));
    try {
      const out = await runScript("load_tweets_sequential.sh", [], { env: URLS });
      expect(out.code).not.toBe(0);
      expect(out.stderr).toMatch(/the CLI is not built .*run `npm ci` \(or `npm run build`\)/);
      expect(out.calls).toEqual([]);
    } finally {
      await rename(join(project, "dist-away"), join(project, "dist"));
    }
  });

  it("says to install Node.js when node is not on PATH", async () => {
    const out = await runScript("load_tweets_sequential.sh", [], {
      env: URLS,
      path: await pathWithout("node"),
    });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/node is not on PATH: install Node\.js 20/);
  });
});

describe.skipIf(!hasGnuParallel)("load_tweets_parallel.sh", () => {
  const loads = (calls: string[]) => calls.filter((call) => call.includes("[load]"));
  const summing = () => `[${join(project, "dist", "report", "sum-summaries-main.js")}]`;

  it("deals the files out in one group per job, each group one CLI process, database by database", async () => {
    const out = await runScript("load_tweets_parallel.sh", ["denormalized", "normalized"], {
      env: { ...URLS, TWEETLOAD_PARALLEL_JOBS: "2" },
    });
    expect(out.code).toBe(0);
    const groups = [["a day.jsonl", "b.zip"], ["c.jsonl.gz"]];
    const expected = ["denormalized", "normalized"].flatMap((db) =>
      groups.map(
        (names) => `${cli()}[load][--db][${db}][--jobs][1][--json]${names.map(file).join("")}`,
      ),
    );
    // Jobs of one database may finish in any order; the databases come one after another.
    const calls = loads(out.calls);
    expect(calls.slice(0, 2).sort()).toEqual(expected.slice(0, 2));
    expect(calls.slice(2).sort()).toEqual(expected.slice(2));
    expect(out.stdout).toContain("load normalized: 3 files, 2 at a time (2 per job)");
    expect(out.stderr.match(/^real /gm)).toHaveLength(2);
  });

  it("ends with one summary of every job's JSON, expecting a report per file and database", async () => {
    const out = await runScript("load_tweets_parallel.sh", ["denormalized", "normalized"], {
      env: URLS,
    });
    expect(out.code).toBe(0);
    const last = out.calls.at(-1) ?? "";
    expect(last.startsWith(`${summing()}[--since]`)).toBe(true);
    expect(last).toContain("[--expect][6]");
    expect(out.calls.filter((call) => call.startsWith(summing()))).toHaveLength(1);
    expect(out.stdout).toContain("summary: 6 file loads");
  });

  it("runs one job per core by default, and never more jobs than files", async () => {
    const cores = Number(execFileSync("getconf", ["_NPROCESSORS_ONLN"]).toString().trim());
    const out = await runScript("load_tweets_parallel.sh", ["denormalized"], { env: URLS });
    expect(out.code).toBe(0);
    const jobs = Math.min(cores, 3);
    expect(out.stdout).toContain(`3 files, ${jobs} at a time`);
    expect(loads(out.calls)).toHaveLength(Math.ceil(3 / Math.ceil(3 / jobs)));
    const many = await runScript("load_tweets_parallel.sh", ["denormalized"], {
      env: { ...URLS, TWEETLOAD_PARALLEL_JOBS: "40" },
    });
    expect(many.stdout).toContain("3 files, 3 at a time (1 per job)");
    expect(loads(many.calls)).toHaveLength(3);
  });

  it("takes the number of jobs from TWEETLOAD_PARALLEL_JOBS and checks it", async () => {
    const two = await runScript("load_tweets_parallel.sh", ["denormalized"], {
      env: { ...URLS, TWEETLOAD_PARALLEL_JOBS: "2" },
    });
    expect(two.stdout).toContain("3 files, 2 at a time");
    const bad = await runScript("load_tweets_parallel.sh", ["denormalized"], {
      env: { ...URLS, TWEETLOAD_PARALLEL_JOBS: "many" },
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/TWEETLOAD_PARALLEL_JOBS must be a positive whole number/);
  });

  it("exits non-zero naming the database whose jobs failed, after loading the others", async () => {
    const out = await runScript("load_tweets_parallel.sh", [], {
      env: { ...URLS, FAIL_DB: "normalized_batch", TWEETLOAD_PARALLEL_JOBS: "3" },
    });
    expect(out.code).toBe(1);
    expect(loads(out.calls)).toHaveLength(9);
    expect(out.stderr).toMatch(/loading failed for: normalized_batch$/m);
  });

  it("says to install GNU parallel when it is not on PATH, before loading anything", async () => {
    const out = await runScript("load_tweets_parallel.sh", [], {
      env: URLS,
      path: `${fakeBin}${delimiter}${await pathWithout("parallel")}`,
    });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/GNU parallel is not installed .*apt-get install parallel/);
    expect(out.calls).toEqual([]);
  });

  it("refuses the other program called parallel (moreutils)", async () => {
    const impostor = await mkdtemp(join(project, "moreutils-"));
    await writeFile(
      join(impostor, "parallel"),
      "#!/bin/sh\necho 'parallel: invalid option' >&2\nexit 1\n",
    );
    await chmod(join(impostor, "parallel"), 0o755);
    const out = await runScript("load_tweets_parallel.sh", [], {
      env: URLS,
      path: `${impostor}${delimiter}${fakeBin}${delimiter}${process.env.PATH ?? ""}`,
    });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/is not GNU parallel/);
  });
});

describe("load_denormalized.sh", () => {
  it("loads the files it is given into the denormalized database only", async () => {
    const out = await runScript("load_denormalized.sh", ["x.zip", "y.jsonl"], { env: URLS });
    expect(out.code).toBe(0);
    expect(out.calls).toEqual([`${cli()}[load][--db][denormalized][--jobs][1][x.zip][y.jsonl]`]);
  });

  it("prints its usage without a file", async () => {
    const out = await runScript("load_denormalized.sh", [], { env: URLS });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/usage: load_denormalized\.sh FILE/);
  });
});
