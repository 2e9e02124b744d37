import { randomBytes } from "node:crypto";
import { mkdtemp, open, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readLines } from "../../../src/input/read-lines.js";
import { SMALL_MEMBER_BYTES } from "../../../src/input/zip-window.js";
import { writeZip } from "../../helpers/write-zip.js";

// Members up to SMALL_MEMBER_BYTES are read whole through one window over the archive
// (zip-window.ts); bigger ones are streamed. Both must read and refuse alike.

let dir: string;

async function texts(file: string): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(file)) out.push(`${line.member}:${line.lineNo}:${line.text}`);
  return out;
}

const lines = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `{"${tag}":${i * 7919}}\n`).join("");

/** A small member (30 KB) and a big one (over SMALL_MEMBER_BYTES once inflated). */
const SIZES = [
  { name: "small", text: lines(2_000, "s") },
  { name: "big", text: lines(120_000, "b") },
] as const;

/** The byte offset of the first central directory entry's field at `field`. */
function centralField(zip: Buffer, field: number): number {
  const at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  expect(at).toBeGreaterThan(0);
  return at + field;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-zip-window-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

// Zips of 1,000 members and members over 1 MiB take seconds to write on a busy machine.
describe("zip members read through a window", { timeout: 30_000 }, () => {
  it("sizes: the big member is streamed, the small one is not", () => {
    expect(Buffer.byteLength(SIZES[0].text)).toBeLessThan(SMALL_MEMBER_BYTES);
    expect(Buffer.byteLength(SIZES[1].text)).toBeGreaterThan(SMALL_MEMBER_BYTES);
  });

  it("reads 1,000 one-line members and the central directory in a few reads, not several a member", async () => {
    const file = join(dir, "many.zip");
    const members = Array.from({ length: 1_000 }, (_, i): [string, string] => [
      `m${String(i).padStart(4, "0")}.jsonl`,
      `{"n":${i}}\n`,
    ]);
    await writeZip(file, members);
    const probe = await open(file, "r");
    const read = vi.spyOn(Object.getPrototypeOf(probe), "read");
    await probe.close();
    const got = await texts(file);
    expect(got).toEqual(members.map(([name, text]) => `${name}:1:${text.trimEnd()}`));
    // The members' bytes (from the first local header, at 0) come through the window too.
    expect(read.mock.calls.map((call) => call[3])).toContain(0);
    expect(read.mock.calls.length).toBeLessThanOrEqual(6);
  });

  it("regression: a 1 MiB read at each member laid out out of name order made 10,000 shuffled members 7 times slower; a jump reads a little", async () => {
    const file = join(dir, "shuffled-many.zip");
    const members = Array.from({ length: 1_000 }, (_, i): [string, string] => [
      `m${String(i).padStart(4, "0")}.jsonl`,
      `{"n":${i},"t":"${randomBytes(1500).toString("hex")}"}\n`,
    ]);
    const order = members.map((_, i) => (i * 7) % members.length); // 1,000 and 7 are coprime
    await writeZip(
      file,
      order.map((i) => members[i] as [string, string]),
    );
    const size = (await stat(file)).size;
    expect(size).toBeGreaterThan(SMALL_MEMBER_BYTES); // more than one window (1 MiB)
    const probe = await open(file, "r");
    const read = vi.spyOn(Object.getPrototypeOf(probe), "read");
    await probe.close();
    const got = await texts(file);
    expect(got).toEqual(members.map(([name, text]) => `${name}:1:${text.trimEnd()}`));
    const bytesRead = read.mock.calls.reduce((n, call) => n + (call[2] as number), 0);
    expect(bytesRead / size).toBeLessThan(20);
  });

  it("reads members laid out in another order than their names, small and big mixed", async () => {
    const file = join(dir, "shuffled.zip");
    const members: Array<[string, string]> = [
      ["d.jsonl", lines(3, "d")],
      ["b.jsonl", SIZES[1].text],
      ["c.jsonl", lines(2, "c")],
      ["a.jsonl", lines(4, "a")],
    ];
    await writeZip(file, members);
    const got = await texts(file);
    const want = [...members]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([name, text]) =>
        text
          .trimEnd()
          .split("\n")
          .map((t, i) => `${name}:${i + 1}:${t}`),
      );
    expect(got).toEqual(want);
  });

  it.each(SIZES)(
    "$name member whose deflated bytes are garbled: an error naming file and member",
    async ({ name, text }) => {
      const good = join(dir, `good-${name}.zip`);
      await writeZip(good, [["m.jsonl", text]]);
      const bytes = await readFile(good);
      bytes.fill(0xff, 200, 400); // inside the deflated data, after the local header
      const bad = join(dir, `garbled-${name}.zip`);
      await writeFile(bad, bytes);
      await expect(texts(bad)).rejects.toThrow(new RegExp(`garbled-${name}\\.zip.*m\\.jsonl`));
    },
  );

  it.each(SIZES)(
    "$name member that inflates to another size than its directory entry says: refused",
    async ({ name, text }) => {
      const good = join(dir, `sized-${name}.zip`);
      await writeZip(good, [["m.jsonl", text]]);
      const bytes = await readFile(good);
      const at = centralField(bytes, 24); // uncompressed size
      bytes.writeUInt32LE(bytes.readUInt32LE(at) - 1, at);
      const bad = join(dir, `resized-${name}.zip`);
      await writeFile(bad, bytes);
      const size = Buffer.byteLength(text);
      await expect(texts(bad)).rejects.toThrow(
        new RegExp(
          `resized-${name}\\.zip \\(member m\\.jsonl\\) is corrupt: it inflates to ${size} bytes, not ${size - 1}`,
        ),
      );
    },
  );

  it.each(SIZES)(
    "$name member without its local header: an error naming file and member",
    async ({ name, text }) => {
      const good = join(dir, `header-${name}.zip`);
      await writeZip(good, [["m.jsonl", text]]);
      const bytes = await readFile(good);
      bytes.fill(0, 0, 4); // the first member's local header signature
      const bad = join(dir, `headless-${name}.zip`);
      await writeFile(bad, bytes);
      await expect(texts(bad)).rejects.toThrow(new RegExp(`headless-${name}\\.zip.*m\\.jsonl`));
    },
  );

  it("a member whose data runs past the end of the archive: an error saying it is cut short", async () => {
    const good = join(dir, "offset.zip");
    await writeZip(good, [["m.jsonl", SIZES[0].text]]);
    const bytes = await readFile(good);
    const at = centralField(bytes, 20); // compressed size
    bytes.writeUInt32LE(bytes.length * 4, at);
    const bad = join(dir, "overrun.zip");
    await writeFile(bad, bytes);
    await expect(texts(bad)).rejects.toThrow(/overrun\.zip.*m\.jsonl/);
  });
});
