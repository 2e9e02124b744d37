import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import yazl from "yazl";

/** Ids above 2^53: JSON.parse would round every one of them. */
const BASE = 1_344_795_502_917_291_104n;
const USER_BASE = 9_007_199_254_740_993n;

export interface FixtureExpectations {
  tweetIds: string[];
  mentions: string[]; // "tweet user"
  tags: string[]; // "tweet tag"
  urls: string[]; // "tweet url"
  media: string[]; // "tweet url"
  users: string[];
  /** Expected text of tweets planted with NUL escapes. */
  texts: Record<string, string>;
}

interface Plan {
  id: bigint;
  user: bigint;
  twins: boolean;
  text: string;
  mentions: bigint[];
  tags: string[];
  urls: string[];
  media: string[];
  reply?: bigint;
  geo: "point" | "box" | "none";
}

const userId = (n: number) => USER_BASE + BigInt(n) * 7n;

/** The JSON text of a tweet, written by hand so big ids stay integer literals. */
function tweetLine(p: Plan): string {
  const twin = (key: string, v: bigint) => `"${key}":${v}${p.twins ? `,"${key}_str":"${v}"` : ""}`;
  const mentions = p.mentions.map(
    (m) => `{${twin("id", m)},"screen_name":"u${m % 1000n}","name":"User ${m % 1000n}"}`,
  );
  const entities =
    `{"hashtags":[${p.tags.map((t) => `{"text":${JSON.stringify(t)}}`).join(",")}],` +
    `"symbols":[],"urls":[${p.urls.map((u) => `{"expanded_url":${JSON.stringify(u)}}`).join(",")}],` +
    `"user_mentions":[${mentions.join(",")}]}`;
  const media = p.media.length
    ? `,"extended_entities":{"media":[${p.media.map((m, i) => `{"id":${p.id + BigInt(i)},"media_url":${JSON.stringify(m)},"type":"photo"}`).join(",")}]}`
    : "";
  const place =
    p.geo === "none"
      ? "null"
      : `{"full_name":"Austin, TX","country_code":"US","bounding_box":{"type":"Polygon","coordinates":[[[-97.9,30.1],[-97.9,30.5],[-97.5,30.5],[-97.5,30.1]]]}}`;
  const coordinates =
    p.geo === "point" ? `{"type":"Point","coordinates":[-97.7431,30.2672]}` : "null";
  const reply = p.reply
    ? `,${twin("in_reply_to_user_id", p.reply)},"in_reply_to_screen_name":"r${p.reply % 1000n}"`
    : `,"in_reply_to_user_id":null`;
  return (
    `{"created_at":"Fri Jan 01 12:${String(Number(p.id % 60n)).padStart(2, "0")}:00 +0000 2021",${twin("id", p.id)},` +
    `"text":${p.text},"source":"web",` +
    `"user":{${twin("id", p.user)},"screen_name":"s${p.user % 1000n}","name":"N","url":"https://home.example/${p.user % 5n}","created_at":"Fri Aug 16 22:31:35 +0000 2019","verified":false}` +
    `${reply},"coordinates":${coordinates},"place":${place},"entities":${entities}${media},"lang":"en"}`
  );
}

function plans(count: number, offset: number, overlap: boolean): Plan[] {
  const out: Plan[] = [];
  for (let i = 0; i < count; i++) {
    const n = offset + i;
    // Overlap: every tweet shares urls and users with every other (the deadlock-prone case).
    const pool = overlap ? 10 : 40;
    const pick = (k: number) => (n * 3 + k * 7) % pool;
    out.push({
      id: BASE + BigInt(n) * 1_000_003n,
      user: userId(pick(0)),
      twins: n % 3 !== 0,
      text: JSON.stringify(`tweet ${n} #t${n % 5} 😷`),
      mentions: [userId(pick(1)), userId(pick(2)), userId(pick(3))],
      tags: [`t${n % 5}`, n % 2 ? "Covid" : "covid"],
      urls: [`https://u.example/${pick(4)}`, `https://u.example/${pick(5)}`],
      media: n % 4 === 0 ? [`https://pbs.example/${pick(6)}.jpg`] : [],
      ...(n % 5 === 1 ? { reply: userId(pick(7) + 100) } : {}),
      geo: (["point", "box", "none"] as const)[n % 3] as Plan["geo"],
    });
  }
  return out;
}

function expectations(all: Plan[], texts: Record<string, string>): FixtureExpectations {
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  return {
    tweetIds: uniq(all.map((p) => `${p.id}`)),
    mentions: uniq(all.flatMap((p) => p.mentions.map((m) => `${p.id} ${m}`))),
    tags: uniq(all.flatMap((p) => p.tags.map((t) => `${p.id} #${t}`))),
    urls: uniq(all.flatMap((p) => p.urls.map((u) => `${p.id} ${u}`))),
    media: uniq(all.flatMap((p) => p.media.map((u) => `${p.id} ${u}`))),
    users: uniq(
      all.flatMap((p) => [p.user, ...p.mentions, ...(p.reply ? [p.reply] : [])].map(String)),
    ),
    texts,
  };
}

function zipBuffer(members: [string, string][]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of members) zip.addBuffer(Buffer.from(text, "utf8"), name);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (c: Buffer) => chunks.push(c));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Three archives of the three kinds (zip with two members, .jsonl.gz, .jsonl) holding
 * 64-bit ids with and without _str twins, NUL escapes next to escaped backslashes,
 * replies, mentions, media, points, boxes and tweets repeated across files.
 */
export async function writeMixedFixture(dir: string, perFile = 40) {
  const a = plans(perFile, 0, false);
  const b = plans(perFile, perFile, false);
  const c = plans(perFile, 2 * perFile, false);
  // NUL cases: a real \u0000 escape (removed) and an escaped backslash + u0000 (kept).
  const nul = a[1] as Plan;
  nul.text = '"nul\\u0000gone \\\\u0000kept \\\\\\u0000x #NUL"';
  const texts = { [`${nul.id}`]: "nulgone \\u0000kept \\x #NUL" };
  const lines = (ps: Plan[]) => ps.map(tweetLine);
  const aLines = lines(a);
  // b repeats two of a's lines (duplicates across files), c has a blank line and CRLF.
  const bLines = [...lines(b), aLines[0] as string, aLines[2] as string];
  const cText = `${lines(c).slice(0, 5).join("\r\n")}\r\n\r\n${lines(c).slice(5).join("\n")}\n`;
  const half = Math.floor(aLines.length / 2);
  await writeFile(
    join(dir, "a.zip"),
    await zipBuffer([
      ["2-second.jsonl", `${aLines.slice(half).join("\n")}\n`],
      ["1-first.jsonl", `${aLines.slice(0, half).join("\n")}\n`],
    ]),
  );
  await writeFile(join(dir, "b.jsonl.gz"), gzipSync(`${bLines.join("\n")}\n`));
  await writeFile(join(dir, "c.jsonl"), cText);
  const all = [...a, ...b, ...c];
  const expected = expectations(all, texts);
  return {
    files: [join(dir, "a.zip"), join(dir, "b.jsonl.gz"), join(dir, "c.jsonl")],
    lines: aLines.length + bLines.length + c.length,
    expected,
  };
}

/**
 * `files` archives whose tweets all share the same ten urls and ten users, each file in a
 * different order: the case where per-tweet transactions contend for the same keys.
 */
export async function writeOverlapFixture(dir: string, files: number, perFile: number) {
  const paths: string[] = [];
  const all: Plan[] = [];
  for (let f = 0; f < files; f++) {
    const ps = plans(perFile, f * perFile, true);
    if (f % 2) ps.reverse();
    all.push(...ps);
    const path = join(dir, `overlap-${f}.jsonl`);
    await writeFile(path, `${ps.map(tweetLine).join("\n")}\n`);
    paths.push(path);
  }
  return { files: paths, expected: expectations(all, {}) };
}
