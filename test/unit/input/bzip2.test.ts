import { execFileSync } from "node:child_process";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { MemberDamageError } from "../../../src/errors.js";
import {
  BZIP2_DECODERS,
  bunzip2Buffer,
  bunzip2Stream,
  bzip2Decoder,
  resetBzip2Decoder,
} from "../../../src/input/bzip2.js";
import { held } from "../../../src/input/member-damage.js";
import { bzip2, damaged, tweetLines } from "./tar-helpers.js";

// Over 900 KB of text: bzip2 -9 makes two blocks (and a second stream is appended).
const text = Buffer.from(`${tweetLines(1, 8000).join("\n")}\n`);
const twoStreams = Buffer.concat([bzip2(text), bzip2("one more line\n")]);
const expected = Buffer.concat([text, Buffer.from("one more line\n")]);

const hasProgram = (name: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
};

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream as AsyncIterable<Buffer>) parts.push(part);
  return Buffer.concat(parts);
}

const withDecoder = (decoder: string) => {
  process.env.TWEETLOAD_BZIP2 = decoder;
  resetBzip2Decoder();
};

afterEach(() => {
  delete process.env.TWEETLOAD_BZIP2;
  resetBzip2Decoder();
});

describe.each(BZIP2_DECODERS.filter((d) => d === "js" || hasProgram(d)))(
  "bzip2 by %s",
  (decoder) => {
    it("decodes a stream and a buffer of several blocks and streams to the same bytes", async () => {
      withDecoder(decoder);
      expect(bzip2Decoder()).toBe(decoder);
      const streamed = bunzip2Stream();
      Readable.from([twoStreams.subarray(0, 1000), twoStreams.subarray(1000)]).pipe(streamed);
      expect((await collect(streamed)).equals(expected)).toBe(true);
      expect((await collect(bunzip2Buffer(twoStreams))).equals(expected)).toBe(true);
    });

    it.each([
      ["damaged", damaged(bzip2(text), 0.3)],
      ["cut short", bzip2(text).subarray(0, 5000)],
      ["not bzip2", text.subarray(0, 5000)],
    ])("ends data that is %s with an error, never a clean end", async (_, bad) => {
      withDecoder(decoder);
      const streamed = bunzip2Stream();
      streamed.end(bad);
      await expect(collect(streamed)).rejects.toThrow(/cannot decode it|bad|data|error/i);
      await expect(collect(bunzip2Buffer(bad))).rejects.toThrow();
    });
  },
);

describe("choosing the bzip2 decoder", () => {
  it("takes the fastest found, and refuses a TWEETLOAD_BZIP2 it cannot use", () => {
    expect(BZIP2_DECODERS).toContain(bzip2Decoder());
    withDecoder("zstd");
    expect(() => bzip2Decoder()).toThrow(
      /TWEETLOAD_BZIP2 must be one of lbzip2, pbzip2, bzip2, js, not zstd/,
    );
    process.env.PATH_BEFORE = process.env.PATH;
    withDecoder("lbzip2");
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      expect(() => bzip2Decoder()).toThrow(/lbzip2 is not on the PATH/);
      // Without any system decoder the JavaScript one is taken.
      withDecoder("");
      process.env.PATH = "/nonexistent";
      expect(bzip2Decoder()).toBe("js");
    } finally {
      process.env.PATH = path;
    }
  });
});

describe("held: a member's bytes wait until it has decoded whole", () => {
  async function* pieces(n: number, fail: boolean) {
    for (let i = 0; i < n; i++) yield Buffer.from(`piece ${i}\n`);
    if (fail) throw new Error("bad block");
  }
  const seen = async (source: AsyncIterable<Buffer>) => {
    const got: string[] = [];
    try {
      for await (const p of source) got.push(p.toString().trim());
    } catch (error) {
      got.push(`${(error as Error).name}: ${(error as Error).message}`);
    }
    return got;
  };

  it("gives nothing of a member damaged within the held bytes, and the bytes before damage past them", async () => {
    expect(await seen(held(pieces(3, true), 1000))).toEqual(["MemberDamageError: bad block"]);
    expect(await seen(held(pieces(3, false), 1000))).toEqual(["piece 0", "piece 1", "piece 2"]);
    // Past 16 bytes (two pieces) the bytes pass on, so damage after keeps what came before.
    expect(await seen(held(pieces(3, true), 16))).toEqual([
      "piece 0",
      "piece 1",
      "piece 2",
      "MemberDamageError: bad block",
    ]);
    expect(new MemberDamageError("x")).toBeInstanceOf(Error);
  });
});
