import { mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import type { DbKind } from "../../src/db/kinds.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { readLines } from "../../src/input/read-lines.js";
import { rejectsPath } from "../../src/run/reject-sink.js";
import { writeZip } from "../helpers/write-zip.js";
import {
  counts,
  killOnceChunksCommitted,
  startCli,
  tableDigests,
  urlFlags,
} from "./fault-helpers.js";
import { adminUrl, targetsDroppedBy } from "./helpers/database.js";
import { TEST_LOADERS } from "./helpers/loaders.js";

// A zip of many one-tweet members loads exactly as the same tweets in one member
// (docs/faults.md, "many small members"). Each member was streamed on its own (an open,
// reads, a close, an inflate stream) and, loaded in parallel, was a chunk of its own: a
// transaction and a journal row per tweet; 10,000 members took 95 s at -j 2.

const MEMBERS = 400;
let dir: string;
/** The same tweets: one member; one member each (.jsonl); one member each (.json). */
let one: string;
let many: string;
let manyJson: string;
/** Ten one-tweet members, two of them bad (one that only the server refuses). */
let bad: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-small-members-"));
  const [archive] = await generateArchives({
    outDir: join(dir, "data"),
    files: 1,
    tweetsPerFile: MEMBERS,
    seed: 8,
  });
  const lines: string[] = [];
  for await (const line of readLines(archive as string)) lines.push(line.text);
  const name = (i: number, ending: string) => `day/${String(i).padStart(5, "0")}${ending}`;
  one = join(dir, "one.zip");
  await writeZip(one, [["day/all.jsonl", `${lines.join("\n")}\n`]]);
  many = join(dir, "many.zip");
  await writeZip(
    many,
    lines.map((l, i) => [name(i, ".jsonl"), `${l}\n`]),
  );
  manyJson = join(dir, "many-json.zip");
  await writeZip(
    manyJson,
    lines.map((l, i) => [name(i, ".json"), `${l}\n`]),
  );
  bad = join(dir, "bad.zip");
  const badLines = lines.slice(0, 10);
  badLines[5] = '{"id":7,"user":{"id":8},"text":"half a pair \\ud800"}';
  badLines[7] = "not json {";
  await writeZip(
    bad,
    badLines.map((l, i) => [name(i, ".jsonl"), `${l}\n`]),
  );
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

const targets = () => targetsDroppedBy(cleanups);

/** Every loader, with the flag that picks it. */
const LOADERS = TEST_LOADERS.map((l) => ({ ...l, args: l.batched ? ["--batch"] : [] }));

async function load(db: DbKind, url: string, args: readonly string[], file: string) {
  const run = await startCli(
    ["load", "--db", db, ...args, "--json", "--rejects", join(dir, "rejects")].concat(
      urlFlags({ [db]: url }),
      file,
    ),
  ).done;
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout).files[0];
}

describe("regression: a zip of one-tweet members loaded 1.4-14 times slower than one member", () => {
  it.each(LOADERS)(
    "$name: the members, sequentially and in parallel, as .jsonl and .json, give one member's rows",
    async ({ db, args }) => {
      const runs = [
        [one, ["-j", "1"]],
        [many, ["-j", "1"]],
        [many, ["-j", "2"]],
        [manyJson, ["-j", "2"]],
      ] as const;
      const digests = await Promise.all(
        runs.map(async ([file, jobs]) => {
          const t = await targets();
          const report = await load(db, t[db], [...args, ...jobs], file);
          expect(report).toMatchObject({ status: "loaded", tweets: MEMBERS, rejects: 0 });
          return tableDigests(db, t[db]);
        }),
      );
      for (const d of digests.slice(1)) expect(d).toEqual(digests[0]);
    },
  );

  it.each(LOADERS)(
    "$name: a bad line among one-tweet members is rejected under its own member and line, sequentially and in parallel",
    async ({ db, args }) => {
      for (const jobs of ["1", "2"]) {
        const t = await targets();
        const rejects = join(dir, `rejects-${db}-${args.length}-${jobs}`);
        const run = await startCli(
          ["load", "--db", db, ...args, "-j", jobs, "--json", "--rejects", rejects].concat(
            urlFlags({ [db]: t[db] }),
            bad,
          ),
        ).done;
        expect(run.code, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout).files[0]).toMatchObject({
          status: "loaded",
          tweets: 8,
          rejects: 2,
        });
        const records = (await readFile(rejectsPath(rejects, await realpath(bad), db), "utf8"))
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { member: string; lineNo: number });
        expect(records.map((r) => [r.member, r.lineNo])).toEqual([
          ["day/00005.jsonl", 1],
          ["day/00007.jsonl", 1],
        ]);
        const journal = await withClient(t[db], (c) =>
          c.query("SELECT tweets::int, rejects::int FROM tweetload.journal"),
        );
        expect(journal.rows).toEqual([{ tweets: 8, rejects: 2 }]);
      }
    },
  );

  it("a load of gathered members killed mid-file resumes into one member's rows", async () => {
    const t = await targets();
    const db = "normalized_batch";
    const cleanRun = await targets();
    await load(db, cleanRun[db], ["-j", "1"], one);
    // 400 members in chunks of 10 lines: 40 chunks, each gathering 10 members.
    const args = ["load", "--db", db, "-j", "2", "--chunk-lines", "10", "--batch-size", "5"];
    args.push("--rejects", join(dir, "rejects"), ...urlFlags({ [db]: t[db] }), many);
    const committed = await killOnceChunksCommitted(args, adminUrl(), t[db]);
    expect((await counts(db, t[db]))["tweetload.journal"]).toBe(0);
    const again = await startCli([...args, "--json"]).done;
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).files[0].note).toMatch(
      new RegExp(`^resumed: ${committed} of its 40 chunks`),
    );
    expect(await tableDigests(db, t[db])).toEqual(await tableDigests(db, cleanRun[db]));
    expect((await counts(db, t[db]))["tweetload.journal"]).toBe(1);
  });
});
