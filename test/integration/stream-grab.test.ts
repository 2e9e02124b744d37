import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChecks } from "../../src/check/run-checks.js";
import { withClient } from "../../src/db/client.js";
import { DB_KINDS, type DbKind, type Targets } from "../../src/db/kinds.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import type { FileReport } from "../../src/run/types.js";
import { counts, startCli, urlFlags } from "./fault-helpers.js";
import { freshDatabase, targetsDroppedBy } from "./helpers/database.js";
import { TEST_LOADERS } from "./helpers/loaders.js";
import {
  flipped,
  type StoredMember,
  storedMembers,
  sum,
  type TarTally,
  tallyTar,
  writeMembers,
} from "./helpers/stream-grab.js";

// The Twitter Stream Grab as downloaded: one tar of per-minute .json.bz2 (and .json.gz)
// members of 2012-shaped tweets and delete notices, with a file that is not tweets and a
// member whose bzip2 is damaged. It loads member by member into every database with
// exact counts, and a load killed at any moment resumes without loading anything twice.

let dir: string;
let tarPath: string;
let members: StoredMember[];
/** What the tar holds, the damaged member left out. */
let tally: TarTally;
const DAMAGED = "2012/01/01/00/17.json.bz2";
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-stream-grab-"));
  const [generated] = await generateArchives({
    outDir: join(dir, "gen"),
    files: 2,
    tweetsPerFile: 200,
    seed: 26,
    era: "2012",
    format: "stream-grab",
    tweetsPerMember: 4,
    memberCompression: "mixed",
  });
  members = await storedMembers(generated as string);
  const damaged = members.find((m) => m.name === DAMAGED) as StoredMember;
  tarPath = join(dir, "twitter-stream-2012-01.tar");
  await writeMembers(tarPath, [
    { name: "README.txt", data: Buffer.from("Archive Team's Twitter Stream Grab\n") },
    ...members.map((m) => (m === damaged ? { ...m, data: flipped(m.data) } : m)),
  ]);
  tally = await tallyTar(generated as string, new Set([DAMAGED]));
});

afterAll(async () => {
  for (const drop of cleanups) await drop();
  await rm(dir, { recursive: true, force: true });
});

const targets = () => targetsDroppedBy(cleanups);

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = await startCli(args, { env }).done;
  return { ...run, json: run.stdout.startsWith("{") ? JSON.parse(run.stdout) : undefined };
}

const scalar = (url: string, sql: string) =>
  withClient(url, async (c) => Number((await c.query<{ n: string }>(sql)).rows[0]?.n));

/** The database's own count of the tar's tweets: rows per line, or distinct tweets. */
const TWEETS_SQL: Record<DbKind, string> = {
  denormalized: "SELECT count(*) AS n FROM tweets_jsonb",
  normalized: "SELECT count(*) AS n FROM tweets",
  normalized_batch: "SELECT count(*) AS n FROM tweets",
};

/** The databases of the first load (all three, -j 2), which the later loads compare with. */
let first: Targets | undefined;

describe("a Stream Grab tar as downloaded", () => {
  it("loads into all three databases with exact counts, names the damaged member and passes over the rest, and the checker agrees", async () => {
    const t = await targets();
    const rejects = join(dir, "rejects");
    const run = await cli([
      "load",
      "--db",
      "all",
      "-j",
      "2",
      "--json",
      "--rejects",
      rejects,
      ...urlFlags(t),
      tarPath,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const lines = sum(tally.tweets);
    for (const report of run.json.files as FileReport[]) {
      const db = report.db;
      expect(report).toMatchObject({
        status: "loaded",
        tweets: lines,
        rejects: 1,
        notices: { delete: sum(tally.deletes) },
      });
      expect(report.skippedMembers).toEqual([
        { name: "README.txt", reason: expect.stringMatching(/^not a name of tweet data/) },
      ]);
      // One report per member, the damaged one named with its reject.
      const byMember = new Map(report.members?.map((m) => [m.member, m]));
      expect(byMember.size).toBe(members.length);
      expect(byMember.get(DAMAGED)).toMatchObject({ tweets: 0, rejects: 1 });
      expect(byMember.get(DAMAGED)?.damaged).toMatch(/^the member is damaged \(.*bzip2.*\)/);
      for (const [member, tweets] of tally.tweets) {
        expect(byMember.get(member)?.tweets, member).toBe(tweets);
        expect(byMember.get(member)?.notices.delete ?? 0).toBe(tally.deletes.get(member) ?? 0);
      }
      // The journal and the tables say the same.
      const journal = await withClient(
        t[db],
        async (c) => (await c.query("SELECT tweets, rejects, notices FROM tweetload.journal")).rows,
      );
      expect(journal).toEqual([
        { tweets: String(lines), rejects: "1", notices: { delete: sum(tally.deletes) } },
      ]);
      expect(await scalar(t[db], "SELECT count(*) AS n FROM tweetload.journal_chunks")).toBe(0);
      const distinct = db === "normalized" ? tally.ids.size : lines;
      expect(await scalar(t[db], TWEETS_SQL[db]), db).toBe(distinct);
      // 2012 tweets keep their photos in entities.media (no extended_entities yet); the
      // denormalized view of the same name reads them too.
      expect(await scalar(t[db], "SELECT count(*) AS n FROM tweet_media")).toBeGreaterThan(0);
      const records = (await readFile(report.rejectsFile as string, "utf8")).trim().split("\n");
      expect(records.map((r) => JSON.parse(r))).toEqual([
        expect.objectContaining({ member: DAMAGED, lineNo: 1, damaged: true }),
      ]);
    }
    expect(run.stdout).not.toMatch(/"rows"/);
    const check = await runChecks(t);
    expect(check.ok, JSON.stringify(check.queries)).toBe(true);
    first = t;
  });

  it("gives the same rows at --jobs 1 (on this thread) with the JavaScript bzip2 decoder", async () => {
    const two = first as Targets;
    const one = await targets();
    const env = { TWEETLOAD_BZIP2: "js" };
    const run = await cli(["load", "--db", "all", "-j", "1", ...urlFlags(one), tarPath], env);
    expect(run.code, run.stderr).toBe(0);
    for (const db of DB_KINDS) expect(await counts(db, one[db])).toEqual(await counts(db, two[db]));
  });
});

describe("a Stream Grab tar killed mid-load", () => {
  it.each(TEST_LOADERS)(
    "$name: killed with SIGKILL once some members are in, the same command again ends with the rows of a clean load",
    async ({ db, batched }) => {
      const flags = batched ? ["--batch"] : [];
      // The clean load: the first test's (--batch gives the per-tweet loader's rows).
      const clean = (first as Targets)[db];
      const killed = await freshDatabase(db);
      cleanups.push(killed.drop);
      const args = (url: string) => [
        "load",
        "--db",
        db,
        "-j",
        "2",
        ...flags,
        ...urlFlags({ [db]: url }),
        tarPath,
      ];
      // Killed once a random number of members (a tenth to a half of them) are committed.
      const at = Math.ceil(members.length * (0.1 + Math.random() * 0.4));
      const run = startCli(args(killed.url));
      const chunks = () => scalar(killed.url, "SELECT count(*) AS n FROM tweetload.journal_chunks");
      while ((await chunks()) < at) {
        if (run.child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      run.child.kill("SIGKILL");
      const { signal } = await run.done;
      expect(signal, "the load ended before it was killed").toBe("SIGKILL");
      const again = await cli([...args(killed.url), "--json"]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.json.files[0].note).toMatch(/^resumed: \d+ of its \d+ chunks were committed/);
      expect(await counts(db, killed.url)).toEqual(await counts(db, clean));
    },
  );
});

describe("a Stream Grab tar changed in place", () => {
  it("is refused, and --replace swaps its rows for the new content's", async () => {
    const t = await freshDatabase("normalized_batch");
    const fresh = await freshDatabase("normalized_batch");
    cleanups.push(t.drop, fresh.drop);
    const path = join(dir, "changed.tar");
    await copyFile(tarPath, path);
    const load = (url: string, ...extra: string[]) =>
      cli([
        "load",
        "--db",
        "normalized_batch",
        "--json",
        `--normalized-batch-url=${url}`,
        ...extra,
        path,
      ]);
    expect((await load(t.url)).code).toBe(0);
    // The repaired download: the damaged member whole again, the last member gone.
    await writeMembers(path, members.slice(0, -1));
    const refused = await load(t.url);
    expect(refused.code).toBe(1);
    expect(refused.json.files[0].error).toMatch(/changed since it was loaded/);
    const replaced = await load(t.url, "--replace");
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.json.files[0].note).toMatch(/^replaced the earlier load of this file/);
    expect((await load(fresh.url)).code).toBe(0);
    const tables = await counts("normalized_batch", t.url);
    expect(tables).toEqual(await counts("normalized_batch", fresh.url));
    // The repaired member's 4 tweets are in, the last member's are not.
    const last = tally.tweets.get(members.at(-1)?.name as string) ?? 0;
    expect(tables.tweets).toBe(sum(tally.tweets) + 4 - last);
  });
});
