// Writes the costliest line the line rules accept (docs/line-rules.md, "The worst line"),
// with 20 ordinary tweets around it, as JSON lines on stdout:
//   node tools/worst-line.js [MB] > worst.jsonl && tweetload load --db all worst.jsonl
// Every list at its cap (250 tags with #coronavirus among them, 500 mentions of distinct
// users, 500 urls, 500 media, 500 withheld countries for the tweet and for its user, a box
// of 500 positions), and a text with the room they need plus MB megabytes (default 15, so
// that the line is near the 16 MiB line limit; 0 for a tweet's size), which every checker
// query reads.
const MB = Number(process.argv[2] ?? 15);

const N = 500;
const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
const base = (id, text, entities, extra = {}) => ({
  created_at: "Fri Jan 01 12:00:00 +0000 2021",
  id,
  id_str: String(id),
  text,
  lang: "en",
  user: {
    id: 7,
    id_str: "7",
    screen_name: "worst",
    statuses_count: 1,
    created_at: "Mon Mar 02 10:00:00 +0000 2015",
  },
  entities,
  ...extra,
});
const ordinary = (i) =>
  base(1000 + i, `tweet ${i} #coronavirus #news`, {
    hashtags: [{ text: "coronavirus" }, { text: "news" }],
  });

const tags = range(250, (i) => (i === 0 ? "coronavirus" : `t${i}`));
const text = [
  ...tags.map((t) => `#${t}`),
  ...range(N, (i) => `@u${i}`),
  ...range(N, (i) => `https://t.co/${i}`),
  "x".repeat(MB * 1_000_000),
].join(" ");
const worst = base(
  1,
  text,
  {
    hashtags: tags.map((t) => ({ text: t })),
    user_mentions: range(N, (i) => ({
      id: 100_000 + i,
      id_str: String(100_000 + i),
      screen_name: `u${i}`,
    })),
    urls: range(N, (i) => ({ expanded_url: `https://example.org/${i}` })),
  },
  {
    extended_entities: {
      media: range(N, (i) => ({ media_url: `http://pbs.example/${i}.jpg`, type: "photo" })),
    },
    withheld_in_countries: range(N, () => "DE"),
    place: {
      full_name: "Austin, TX",
      country_code: "US",
      bounding_box: { coordinates: [range(N, (i) => [-97 - i / 1000, 30 + i / 1000])] },
    },
  },
);
worst.user.withheld_in_countries = range(N, () => "FR");

for (let i = 0; i < 10; i++) process.stdout.write(`${JSON.stringify(ordinary(i))}\n`);
process.stdout.write(`${JSON.stringify(worst)}\n`);
for (let i = 10; i < 20; i++) process.stdout.write(`${JSON.stringify(ordinary(i))}\n`);
