import { snowflake } from "./ids.js";
import type { JsonValue } from "./json-text.js";
import type { Rng } from "./prng.js";

type MediaType = "photo" | "video" | "animated_gif";

/** The `media` entities of a tweet with a picture, a video or a GIF at `at` of its text. */
export function mediaEntities(
  rng: Rng,
  ms: number,
  tweetId: bigint,
  screenName: string,
  at: number,
): JsonValue[] {
  const type: MediaType = rng.weighted([
    ["photo", 75],
    ["video", 17],
    ["animated_gif", 8],
  ] as const);
  const count =
    type === "photo"
      ? rng.weighted([
          [1, 70],
          [2, 12],
          [3, 6],
          [4, 12],
        ] as const)
      : 1;
  const tco = `https://t.co/${rng.chars(10)}`;
  const out: JsonValue[] = [];
  for (let i = 0; i < count; i++) {
    const id = snowflake(ms - rng.int(1000, 600_000), rng.bits(22));
    const key = rng.chars(15);
    const mediaUrl =
      type === "photo"
        ? `http://pbs.twimg.com/media/${key}.jpg`
        : type === "video"
          ? `http://pbs.twimg.com/ext_tw_video_thumb/${id}/pu/img/${key}.jpg`
          : `http://pbs.twimg.com/tweet_video_thumb/${key}.jpg`;
    const w = rng.pick([1080, 1200, 1536, 2048]);
    const h = rng.pick([720, 1080, 1350, 1536, 2048]);
    const scaled = (max: number) => {
      const scale = Math.min(1, max / Math.max(w, h));
      return { w: Math.round(w * scale), h: Math.round(h * scale), resize: "fit" };
    };
    const entity: Record<string, JsonValue | undefined> = {
      id,
      id_str: id.toString(),
      indices: [at, at + 23],
      additional_media_info: type === "photo" ? undefined : { monetizable: false },
      media_url: mediaUrl,
      media_url_https: mediaUrl.replace("http://", "https://"),
      url: tco,
      display_url: `pic.twitter.com/${tco.slice(13)}`,
      expanded_url: `https://twitter.com/${screenName}/status/${tweetId}/${type === "photo" ? "photo" : "video"}/${i + 1}`,
      type,
      sizes: {
        thumb: { w: 150, h: 150, resize: "crop" },
        medium: scaled(1200),
        small: scaled(680),
        large: scaled(2048),
      },
    };
    if (type !== "photo") {
      const variant = (bitrate: number, res: string) => ({
        bitrate,
        content_type: "video/mp4",
        url: `https://video.twimg.com/${type === "video" ? "ext_tw_video" : "tweet_video"}/${id}/pu/vid/${res}/${key}.mp4`,
      });
      entity.video_info = {
        aspect_ratio: [16, 9],
        duration_millis: type === "video" ? rng.int(2000, 140_000) : undefined,
        variants:
          type === "video"
            ? [
                variant(832000, "640x360"),
                {
                  content_type: "application/x-mpegURL",
                  url: `https://video.twimg.com/ext_tw_video/${id}/pu/pl/${key}.m3u8`,
                },
                variant(2176000, "1280x720"),
                variant(256000, "480x270"),
              ]
            : [variant(0, "480x270")],
      };
    }
    out.push(entity);
  }
  return out;
}
