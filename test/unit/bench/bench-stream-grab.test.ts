import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PSQL_COPY } from "../../../src/bench/timing/pipeline-tools.js";
import {
  bzip2Floor,
  shellBzip2,
  streamGrabPipeline,
} from "../../../src/bench/timing/stream-grab-tools.js";
import { bzip2, tweetLines, writeTar } from "../input/tar-helpers.js";

// The Stream Grab bench rows run a user's shell pipeline on the tar; here its steps before
// psql, on a real tar through real tar, bzip2 (or lbzip2), grep and sed.

let dir: string;
let tar: string;
const first = tweetLines(1, 3);
const second = [...tweetLines(10, 2), '{"t":"back\\\\slash \\u0000"}'];
const notice = '{"delete":{"status":{"id":5,"id_str":"5","user_id":1,"user_id_str":"1"}}}';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-bench-sg-"));
  tar = join(dir, "month.tar");
  await writeTar(tar, [
    { name: "README.txt", data: Buffer.from("not tweets\n") },
    { name: "2012/01/01/00/00.json.bz2", data: bzip2(`${[notice, ...first].join("\n")}\n`) },
    { name: "2012/01/01/00/01.json.bz2", data: bzip2(`${[...second, notice].join("\n")}\n`) },
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bash = (script: string) =>
  execFileSync("bash", ["-c", `set -o pipefail; ${script}`], {
    env: { ...process.env, TAR: tar },
    encoding: "utf8",
  });

describe("the Stream Grab bench's shell rows", () => {
  it("send psql every member's lines but the delete notices and other members, fitted to COPY", async () => {
    const decoder = (await shellBzip2()) as string;
    const pipeline = streamGrabPipeline(decoder);
    expect(pipeline.endsWith(` | ${PSQL_COPY}`)).toBe(true);
    const sent = bash(pipeline.slice(0, -` | ${PSQL_COPY}`.length))
      .trimEnd()
      .split("\n");
    expect(sent).toEqual([...first, ...tweetLines(10, 2), '{"t":"back\\\\\\\\slash "}']);
  });

  it("decode every .json.bz2 member for the floor, and fail when one is damaged", async () => {
    const decoder = (await shellBzip2()) as string;
    expect(bash(bzip2Floor(decoder).replace(" > /dev/null", "")).split("\n")).toHaveLength(9);
    const broken = join(dir, "broken.tar");
    const data = bzip2(`${first.join("\n")}\n`);
    data[Math.floor(data.length / 2)] ^= 0x55;
    await writeTar(broken, [{ name: "2012/01/01/00/00.json.bz2", data }]);
    expect(() =>
      execFileSync("bash", ["-c", `set -o pipefail; ${bzip2Floor(decoder)}`], {
        env: { ...process.env, TAR: broken },
        stdio: "pipe",
      }),
    ).toThrow();
  });
});
