import { BIO_WORDS, COLORS, FIRST_NAMES, LAST_NAMES } from "./account-words.js";
import { ERA_DATES, type EraDates } from "./era.js";
import { snowflake, twitterDate } from "./ids.js";
import type { JsonValue } from "./json-text.js";
import { PLACES } from "./places.js";
import { Rng } from "./prng.js";

/** The stable part of a generated account; its counts are computed per tweet. */
export interface Account {
  index: number;
  id: bigint;
  screenName: string;
  name: string;
}

/**
 * A pool of accounts that recur across tweets and files. Every property is a
 * pure function of (seed, index), so the pool costs no memory however many
 * tweets are generated.
 */
export class AccountPool {
  constructor(
    readonly seed: number | string,
    readonly size: number,
    /** When the tweets are: accounts are created before, counts grow from firstDay. */
    private readonly dates: EraDates = ERA_DATES["2021"],
  ) {}

  /** A skewed pick: a few accounts tweet a lot, most rarely. */
  pickIndex(rng: Rng): number {
    return rng.chance(0.5) ? rng.zipf(this.size, 0.9) : rng.int(0, this.size - 1);
  }

  account(index: number): Account {
    const rng = Rng.derive(this.seed, "account", index);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const handleBase = `${first}${rng.chance(0.5) ? last : ""}`
      .normalize("NFD")
      .replace(/[^A-Za-z]/g, "")
      .slice(0, 10);
    const screenName = `${handleBase}${rng.chance(0.3) ? "_" : ""}${index.toString(36)}`.slice(
      0,
      15,
    );
    const name = rng.chance(0.15)
      ? `${first} ${last} ${rng.pick(["😷", "🌹", "✨", "🇺🇸"])}`
      : `${first} ${last}`;
    // Accounts created since ~2016 carry snowflake ids (> 2^53); older ones small ids.
    const modern = rng.chance(0.6);
    const { firstDay, snowflakeAccountsFrom: from, smallIdAccountsUntil: until } = this.dates;
    const createdMs = modern
      ? from + rng.float() * (firstDay - from)
      : Date.UTC(2007, 0, 1) + rng.float() * (until - Date.UTC(2007, 0, 1));
    const id = modern
      ? snowflake(createdMs, BigInt(index))
      : BigInt(1_000_000 + index * 200_003 + rng.int(0, 200_002));
    return { index, id, screenName, name };
  }

  /** The full v1.1 user object of account `index` as seen at `atMs` (counts grow with time). */
  userObject(index: number, atMs: number): JsonValue {
    const account = this.account(index);
    const rng = Rng.derive(this.seed, "profile", index);
    const createdMs = this.createdMs(account);
    const days = (atMs - this.dates.firstDay) / 86_400_000;
    const followersBase = Math.floor(10 ** (rng.float() * 4.5));
    const statusesBase = rng.int(10, 60_000);
    const rate = rng.int(1, 40);
    const place = rng.pick(PLACES);
    const hasUrl = rng.chance(0.35);
    const color = () => rng.pick(COLORS);
    const bannerId = rng.int(1_500_000_000, 1_609_000_000);
    const imageKey = rng.chars(8);
    const bio = Array.from({ length: rng.int(0, 6) }, () => rng.pick(BIO_WORDS)).join(" | ");
    const description = index % 997 === 996 ? `${bio} \u0000 null inside` : bio;
    const withheld = rng.chance(0.01) ? [rng.pick(["DE", "FR", "IN", "TR", "RU"])] : undefined;
    const defaultProfile = rng.chance(0.3);
    return {
      id: account.id,
      id_str: account.id.toString(),
      name: account.name,
      screen_name: account.screenName,
      location: rng.chance(0.75) ? (place[2] as string) : null,
      url: hasUrl ? `https://t.co/${rng.chars(10)}` : null,
      description: description.length > 0 ? description : null,
      translator_type: "none",
      protected: false,
      verified: rng.chance(0.02),
      followers_count: followersBase + Math.floor(days * rng.int(0, 20)),
      friends_count: rng.int(0, 5000) + Math.floor(days * rng.int(0, 3)),
      listed_count: Math.floor(followersBase / rng.int(20, 200)),
      favourites_count: rng.int(0, 200_000) + Math.floor(days * rate * 2),
      statuses_count:
        statusesBase + Math.floor(days * rate) + Math.floor((atMs % 86_400_000) / 3_600_000),
      created_at: twitterDate(createdMs),
      utc_offset: null,
      time_zone: null,
      geo_enabled: true,
      lang: null,
      contributors_enabled: false,
      is_translator: false,
      profile_background_color: color(),
      profile_background_image_url: "http://abs.twimg.com/images/themes/theme1/bg.png",
      profile_background_image_url_https: "https://abs.twimg.com/images/themes/theme1/bg.png",
      profile_background_tile: rng.chance(0.1),
      profile_link_color: color(),
      profile_sidebar_border_color: color(),
      profile_sidebar_fill_color: color(),
      profile_text_color: color(),
      profile_use_background_image: rng.chance(0.8),
      profile_image_url: `http://pbs.twimg.com/profile_images/${account.id}/${imageKey}_normal.jpg`,
      profile_image_url_https: `https://pbs.twimg.com/profile_images/${account.id}/${imageKey}_normal.jpg`,
      profile_banner_url: rng.chance(0.7)
        ? `https://pbs.twimg.com/profile_banners/${account.id}/${bannerId}`
        : undefined,
      default_profile: defaultProfile,
      default_profile_image: rng.chance(0.03),
      following: null,
      follow_request_sent: null,
      notifications: null,
      withheld_in_countries: withheld,
    };
  }

  private createdMs(account: Account): number {
    // Recover the creation time: from the snowflake when modern, else a fixed function of the id.
    if (account.id > 0xffffffffffn) return Number((account.id >> 22n) + 1288834974657n);
    return Date.UTC(2007, 0, 1) + Number(account.id % 250_000_000n) * 1000;
  }
}
