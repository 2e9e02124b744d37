import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import type { DbKind } from "../../src/db/kinds.js";
import { applySchema } from "../../src/db/schema.js";
import type { FileReport } from "../../src/run/types.js";
import {
  checkEachOther,
  FOUR_LOADERS,
  type LoaderName,
  loadEach,
  loadWith,
  rejectRecords,
  rejectsDirOf,
  tweetTable,
} from "./four-loaders.js";
import { adminUrl } from "./helpers/database.js";
import { runPrefix } from "./helpers/names.js";
import { page, v1, v2 } from "./line-rules-fixture.js";

// A value every rule accepts can still be refused by the server: here databases made with
// ENCODING 'LATIN1', which cannot hold an emoji. Such a line (or tweet of a page) is that
// line's reject with the server's reason, in every loader, and the rest of the file loads;
// the per-tweet loader used to stop at it on every run, the batch COPY to fail the file.

const EMOJI = "\u{1F637}";
const LINES = [
  ...Array.from({ length: 120 }, (_, n) => v1(n)),
  v1(600, { text: `refused ${EMOJI} #coronavirus by a LATIN1 database` }),
  ...Array.from({ length: 120 }, (_, n) => v1(120 + n)),
  page([v2(700), v2(701, { text: `a v2 tweet ${EMOJI} #coronavirus #v2 refused` }), v2(702)]),
  ...Array.from({ length: 60 }, (_, n) => v1(240 + n)),
];
const REASON =
  'refused by PostgreSQL: character with byte sequence 0xf0 0x9f 0x98 0xb7 in encoding "UTF8" has no equivalent in encoding "LATIN1"';

let dir: string;
let file: string;
const urls = {} as Record<LoaderName, string>;
const names: string[] = [];

/** A database of `kind` made with ENCODING 'LATIN1', its schema applied. */
async function latin1Database(kind: DbKind): Promise<string> {
  const name = `${runPrefix(inject("tweetloadRunId"))}latin1_${kind}_${randomBytes(4).toString("hex")}`;
  names.push(name);
  await withClient(adminUrl(), (c) =>
    c.query(
      `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'`,
    ),
  );
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  await withClient(url.toString(), (c) => applySchema(c, kind));
  return url.toString();
}

const reports = {} as Record<LoaderName, FileReport>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-refusals-"));
  file = join(dir, "latin1.jsonl");
  await writeFile(file, `${LINES.join("\n")}\n`);
  for (const c of FOUR_LOADERS) urls[c.name] = await latin1Database(c.db);
  Object.assign(reports, await loadEach(urls, file, dir));
}, 120_000);
afterAll(async () => {
  await withClient(adminUrl(), async (c) => {
    for (const name of names) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  await rm(dir, { recursive: true, force: true });
});

describe("a value the server refuses is its line's reject (docs/line-rules.md)", () => {
  it.each(FOUR_LOADERS)(
    "$name rejects the line and the page's tweet, and loads the rest",
    async (c) => {
      const report = reports[c.name];
      expect([report.status, report.tweets, report.rejects]).toEqual(["loaded", 302, 2]);
      const records = await rejectRecords(report);
      expect(records.map((r) => [r.lineNo, r.index, r.error])).toEqual([
        [121, undefined, REASON],
        [242, 1, REASON],
      ]);
      const count = await withClient(urls[c.name], (client) =>
        client.query<{ n: string }>(`SELECT count(*) AS n FROM ${tweetTable(c.db)}`),
      );
      expect(Number(count.rows[0]?.n)).toBe(302);
      const again = await loadWith(c, urls[c.name], [file], rejectsDirOf(dir, c), {
        maxRejects: "100%",
      });
      expect(again.files[0]?.status).toBe("skipped");
    },
  );

  it("leaves the three databases answering the checker alike", async () => {
    for (const normalized of ["normalized-per-tweet", "normalized-staged-batch"] as const) {
      const report = await checkEachOther(urls, normalized);
      const failing = report.queries.filter(
        (q) => !Object.values(q.cells).every((cell) => cell.status === "pass"),
      );
      expect(failing.map((q) => [normalized, q.name, q.cells])).toEqual([]);
    }
  });
});
