import { lineShape } from "../transform/v2/shape.js";
import { parseLossless } from "./lossless-json.js";
import { type TweetFacts, tweetFacts } from "./tweet-facts.js";
import { v2PageFacts, v2TweetFacts } from "./v2-tweet-facts.js";

/**
 * The facts of every tweet of one archive line: none for a line that is not JSON, a notice
 * or bad input (the loaders reject or skip it), one for a v1.1 or flattened v2 tweet, one
 * per loadable tweet of a v2 page. Which shape a line is comes from the loaders' own
 * recognition (lineShape), so the two cannot disagree on it; what each shape means is
 * read here independently.
 */
export function factsOfLine(raw: string): TweetFacts[] {
  const line = raw.trim();
  if (line === "") return [];
  let parsed: unknown;
  try {
    parsed = parseLossless(line);
  } catch {
    return [];
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return [];
  const value = parsed as Record<string, unknown>;
  const shape = lineShape(value);
  if (shape === "v2-page") return v2PageFacts(value);
  const facts = shape === "v2-tweet" ? v2TweetFacts(value) : tweetFacts(value);
  return facts ? [facts] : [];
}
