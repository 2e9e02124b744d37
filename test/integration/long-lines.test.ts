import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { withClient } from "../../src/db/client.js";
import { rejectsPath } from "../../src/run/reject-sink.js";
import { startCli, tableDigests, urlFlags } from "./fault-helpers.js";
import { targetsDroppedBy } from "./helpers/database.js";

// Memory is bounded by the configuration, whatever the input within it (docs/faults.md,
// "lines near --max-line-bytes"): eight 15 MB lines in a row, each under the 16 MiB
// default, killed a worker ("JS heap out of memory"), and one 100 MB line with
// --max-line-bytes 128 MiB aborted the whole process (SIGABRT, no summary). Here the real
// CLI loads real long lines on real workers, whose heaps are piscina's resourceLimits.

const MB = 1_000_000;
let dir: string;
/** Ordinary lines, six 10 MB tweets back to back, a 4 MB line too dense to read, one more. */
let longZip: string;
/** One tweet of 100 MB of text. */
let hugeZip: string;
const LONG = 6;
/** Bytes of text of each long tweet. */
const LINE = 10 * MB;
const cleanups: Array<() => Promise<void>> = [];

const tweet = (n: number, text: string) => {
  const id = String(1345000000000000000n + BigInt(n));
  return JSON.stringify({
    id_str: id,
    id: Number(id),
    created_at: "Fri Jan 01 12:00:00 +0000 2021",
    text,
    user: { id_str: String(4200 + n), screen_name: `user${n}`, name: `User ${n}` },
    entities: { hashtags: [{ text: `tag${n % 3}` }] },
  });
};

/** Within the line limit, but 1.3 million empty objects take some 20 times its bytes. */
const dense = (n: number) =>
  tweet(n, "dense").replace(/}$/, `,"x":[${"{},".repeat(1_300_000)}{}]}`);

async function writeZip(path: string, lines: string[]) {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(`${lines.join("\n")}\n`), "day.jsonl");
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await finished(out);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-long-lines-"));
  const lines = [tweet(1, "before")];
  for (let i = 0; i < LONG; i++) lines.push(tweet(10 + i, `${i}`.repeat(LINE)));
  lines.push(dense(20), tweet(2, "after"));
  longZip = join(dir, "long.zip");
  await writeZip(longZip, lines);
  hugeZip = join(dir, "huge.zip");
  await writeZip(hugeZip, [tweet(3, "y".repeat(100 * MB))]);
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

const targets = () => targetsDroppedBy(cleanups);

const LOADERS = [
  { name: "denormalized", db: "denormalized", args: [] },
  { name: "normalized (per tweet)", db: "normalized", args: [] },
  { name: "normalized --batch", db: "normalized", args: ["--batch"] },
  { name: "normalized_batch", db: "normalized_batch", args: [] },
] as const;

/** Sequential on the main thread; chunks on two workers; whole files on two workers. */
const MODES = [
  ["-j 1", ["-j", "1"]],
  ["-j 2, in chunks", ["-j", "2"]],
  ["-j 2, whole", ["-j", "2", "--chunk-lines", "0"]],
] as const;

describe("regression: lines within --max-line-bytes ran workers and the process out of memory", () => {
  it.each(LOADERS)(
    "$name loads six 10 MB lines back to back in every mode, rejecting only the line too dense to read",
    async ({ db, args }) => {
      // The three modes at once, each into databases of its own.
      const digests = await Promise.all(
        MODES.map(async ([mode, modeArgs], m) => {
          const t = await targets();
          const rejects = join(dir, `rejects-${db}-${args.length}-${m}`);
          const run = await startCli(
            ["load", "--db", db, ...args, ...modeArgs, "--json", "--rejects", rejects].concat(
              urlFlags({ [db]: t[db] }),
              longZip,
            ),
          ).done;
          expect(run.code, `${mode}: ${run.stderr}`).toBe(0);
          const [file] = JSON.parse(run.stdout).files;
          expect(file, mode).toMatchObject({ status: "loaded", tweets: LONG + 2, rejects: 1 });
          const [record] = (await readFile(rejectsPath(rejects, longZip, db), "utf8"))
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l));
          expect(record).toMatchObject({ member: "day.jsonl", lineNo: LONG + 2 });
          expect(record.error).toMatch(
            /^the line \(\d+\.\d MB\) holds so many JSON objects, arrays and values that reading it would take about \d+\.\d MB of memory, more than the \d+\.\d MB a line may take with --max-line-bytes 16777216/,
          );
          expect(record.text.length).toBeLessThanOrEqual(1024);
          const texts = await withClient(t[db], async (c) => {
            const sql =
              db === "denormalized"
                ? "SELECT sum(length(data->>'text')) AS n FROM tweets_jsonb"
                : "SELECT sum(length(text)) AS n FROM tweets";
            return Number((await c.query<{ n: string }>(sql)).rows[0]?.n);
          });
          expect(texts, mode).toBe(LONG * LINE + "before".length + "after".length);
          return tableDigests(db, t[db]);
        }),
      );
      // Chunks and whole files on workers give the rows of the sequential load.
      expect(digests[1]).toEqual(digests[0]);
      expect(digests[2]).toEqual(digests[0]);
    },
  );

  it("one 100 MB line with --max-line-bytes 128 MiB loads at -j 2 (the process aborted)", async () => {
    const t = await targets();
    const args = ["load", "--db", "normalized_batch", "-j", "2", "--json"];
    args.push("--max-line-bytes", String(128 * 1024 * 1024), "--rejects", join(dir, "rejects"));
    const run = await startCli([...args, ...urlFlags(t), hugeZip]).done;
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).files[0]).toMatchObject({ status: "loaded", tweets: 1 });
    const length = await withClient(t.normalized_batch, async (c) => {
      const { rows } = await c.query<{ n: number }>("SELECT length(text) AS n FROM tweets");
      return rows[0]?.n;
    });
    expect(length).toBe(100 * MB);
  });

  it("refuses a --max-line-bytes no thread's heap can hold, in one sentence, before reading", async () => {
    const small = await startCli(
      ["load", "--db", "denormalized", "--max-line-bytes", "67108864", longZip],
      {
        env: { NODE_OPTIONS: "--max-old-space-size=300" },
      },
    ).done;
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(
      /^tweetload: --max-line-bytes 67108864 lets one line take up to 512 MB of memory to read \(JSON takes up to 8 times its size once parsed\), and a thread of this Node.js has \d+ MB of heap: give at most --max-line-bytes \d+, or more heap \(NODE_OPTIONS=--max-old-space-size=\d+\)/,
    );
    const string = await startCli([
      "load",
      "--db",
      "denormalized",
      "--max-line-bytes",
      "600000000",
      longZip,
    ]).done;
    expect(string.code).toBe(2);
    expect(string.stderr).toMatch(/is more than the longest string Node\.js can make/);
  });
});
