import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveExpected, readExpected, writeExpected } from "../../src/check/derive-expected.js";
import { compareBytes, expectedAnswers } from "../../src/check/expected-answers.js";
import { parseLossless, quoteBigIntegers } from "../../src/check/lossless-json.js";
import { tweetFacts, utcDay } from "../../src/check/tweet-facts.js";

/**
 * Hand-written tweets whose answers are worked out by hand below. They cover
 * the rules of the contract that the queries depend on.
 */
const EXTENDED =
  '{"created_at":"Sat Jan 02 23:59:59 +0000 2021","id":1345500000000000001,"id_str":"1345500000000000001",' +
  '"user":{"id":21,"id_str":"21","screen_name":"old21","statuses_count":100},' +
  '"text":"short #Ignored… https://t.co/x","truncated":true,"lang":"en",' +
  '"place":{"country_code":"US","full_name":"Claremont, CA"},' +
  '"entities":{"hashtags":[{"text":"Ignored","indices":[6,14]}],"user_mentions":[],"symbols":[],"urls":[]},' +
  '"extended_tweet":{"full_text":"nul\\u0000here 😷 \\\\u0000 #CoronaVirus #covid19 $GME",' +
  '"entities":{"hashtags":[{"text":"CoronaVirus"},{"text":"covid19"},{"text":"covid19"}],"symbols":[{"text":"GME"}],' +
  '"user_mentions":[{"id":1300000000000000077,"id_str":"1300000000000000077"},{"id":12,"id_str":"12"}],"urls":[]},' +
  '"extended_entities":{"media":[{"media_url":"http://pbs.twimg.com/media/a.jpg","type":"photo"},' +
  '{"media_url":"http://pbs.twimg.com/media/b.jpg","type":"photo"}]}}}';
const PLAIN =
  '{"created_at":"Sun Jan 03 00:00:01 +0000 2021","id":1345500000000000002,"id_str":"1345500000000000002",' +
  '"user":{"id":22,"id_str":"22","screen_name":"p22","statuses_count":50},' +
  '"text":"hola #coronavirus #Ñandú #covid19","lang":"es","place":null,' +
  '"entities":{"hashtags":[{"text":"coronavirus"},{"text":"Ñandú"},{"text":"covid19"}],"symbols":[],' +
  '"user_mentions":[{"id":12,"id_str":"12"},{"id":12,"id_str":"12"}],"urls":[]},' +
  '"extended_entities":{"media":[{"media_url":"http://pbs.twimg.com/media/c.jpg","type":"video"}]},' +
  '"quoted_status":{"id":1,"entities":{"hashtags":[{"text":"coronavirus"}]}}}';
const OTHER =
  '{"created_at":"Sun Jan 03 10:00:00 +0000 2021","id":1345500000000000003,"id_str":"1345500000000000003",' +
  '"user":{"id":21,"id_str":"21","screen_name":"new21","statuses_count":101},' +
  '"text":"#covid19 #zebra","lang":"en","place":{"country_code":"GB"},' +
  '"entities":{"hashtags":[{"text":"covid19"},{"text":"zebra"}],"symbols":[],"user_mentions":[],"urls":[]}}';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-derive-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("quoteBigIntegers", () => {
  it("quotes long integer literals outside strings only", () => {
    expect(quoteBigIntegers('{"id":1345500000000000001,"n":12,"x":-1234567890123456789}')).toBe(
      '{"id":"1345500000000000001","n":12,"x":"-1234567890123456789"}',
    );
    const untouched =
      '{"t":"1345500000000000001 \\"1345500000000000001","f":1.5e300,"g":12345678901234.5}';
    expect(quoteBigIntegers(untouched)).toBe(untouched);
    expect((parseLossless('{"id":1345500000000000001}') as { id: string }).id).toBe(
      "1345500000000000001",
    );
  });
});

describe("tweetFacts", () => {
  it("reads an extended tweet by the contract's rules", () => {
    const facts = tweetFacts(parseLossless(EXTENDED));
    expect(facts).toEqual({
      id: "1345500000000000001",
      lang: "en",
      countryCode: "us",
      day: "2021-01-02",
      createdMs: Date.UTC(2021, 0, 2, 23, 59, 59),
      author: { id: "21", screenName: "old21", statusesCount: 100 },
      text: "nulhere 😷 \\u0000 #CoronaVirus #covid19 $GME",
      tags: ["#CoronaVirus", "#covid19", "#covid19", "$GME"],
      mentionedUserIds: ["1300000000000000077", "12"],
      mediaUrls: ["http://pbs.twimg.com/media/a.jpg", "http://pbs.twimg.com/media/b.jpg"],
    });
  });

  it("ignores what is not a tweet", () => {
    expect(tweetFacts(parseLossless('{"limit":{"track":5}}'))).toBeNull();
    expect(tweetFacts([1, 2])).toBeNull();
    expect(tweetFacts(parseLossless('{"id":5,"user":{"screen_name":"no id"}}'))).toBeNull();
  });

  it("converts created_at with an offset to the UTC day", () => {
    expect(utcDay("Fri Jan 01 23:30:00 -0100 2021")).toBe("2021-01-02");
    expect(utcDay("Fri Jan 01 00:30:00 +0100 2021")).toBe("2020-12-31");
    expect(utcDay(undefined)).toBeNull();
  });
});

describe("expectedAnswers", () => {
  it("answers the ten queries for hand-written tweets, duplicates counted once", () => {
    const facts = [EXTENDED, PLAIN, EXTENDED, OTHER].map((l) => tweetFacts(parseLossless(l)));
    const answers = expectedAnswers(facts.filter((f) => f !== null));
    expect(answers).toEqual({
      "01_tweets": ["3"],
      "02_mentions": ["3"], // (1, 1300…077), (1, 12), (2, 12)
      "03_tags": ["8"], // tweet 1: 3 distinct, tweet 2: 3, tweet 3: 2
      "04_media": ["3"],
      // Byte order: '#' tags before '$', ASCII before 'Ñ' (C3 91).
      "05_coronavirus_cotags": ["#covid19|2", "#Ñandú|1", "$GME|1"],
      "06_coronavirus_cotags_totals": ["#covid19|2|3", "#Ñandú|1|1", "$GME|1|1"],
      "07_coronavirus_countries": ["us|1", "|1"],
      // length() counts characters: 7 + 1 + 😷 (one) + 1 + 6 for the written-out \\u0000 + 1 + 12 + 1 + 8 + 1 + 4; the NUL none.
      "08_coronavirus_english_lengths": ["1345500000000000001|43"],
      "09_coronavirus_days": ["2021-01-02|1", "2021-01-03|1"],
      // User 21's row is the snapshot of its latest tweet, OTHER, though OTHER is not tagged.
      "10_coronavirus_authors": ["21|new21|101|1", "22|p22|50|1"],
    });
  });

  it("takes an author's latest tweet by created_at, then the greater id, whatever the order", () => {
    const tweet = (id: string, time: string, name: string, statuses: number) =>
      tweetFacts(
        parseLossless(
          `{"id":${id},"created_at":"${time}","user":{"id":7,"screen_name":"${name}",` +
            `"statuses_count":${statuses}},"entities":{"hashtags":[{"text":"coronavirus"}]}}`,
        ),
      );
    const facts = [
      tweet("1345500000000000010", "Sun Jan 03 10:00:00 +0000 2021", "tie, smaller id", 1),
      tweet("1345500000000000011", "Sun Jan 03 10:00:00 +0000 2021", "tie, greater id", 2),
      tweet("1345500000000000099", "Sun Jan 03 11:00:00 +0200 2021", "earlier, in UTC", 3),
    ].filter((f) => f !== null);
    for (const order of [facts, [...facts].reverse()]) {
      expect(expectedAnswers(order)["10_coronavirus_authors"]).toEqual(["7|tie, greater id|2|3"]);
    }
  });

  it('sorts text in byte order, as COLLATE "C" does, not in UTF-16 order', () => {
    // U+FF01 sorts before an astral emoji in UTF-16 units but after it in UTF-8 bytes.
    expect(compareBytes("\uff01", "😷")).toBeLessThan(0);
    expect(["😷", "\uff01", "a", "B"].sort(compareBytes)).toEqual(["B", "a", "\uff01", "😷"]);
  });
});

describe("deriveExpected", () => {
  it("reads .jsonl files, skips bad lines, and round-trips through .out files", async () => {
    const file = join(dir, "sample.jsonl");
    await writeFile(file, `${EXTENDED}\r\n\nnot json\n${PLAIN}\n{"delete":{}}\n`);
    const answers = await deriveExpected([dir]);
    expect(answers["01_tweets"]).toEqual(["2"]);
    const out = join(dir, "expected");
    await writeExpected(out, answers);
    expect(await readFile(join(out, "07_coronavirus_countries.out"), "utf8")).toBe("us|1\n|1\n");
    expect(await readExpected(out)).toEqual(answers);
  });
});
