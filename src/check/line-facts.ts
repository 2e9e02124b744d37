import { classifyLine, type LineClass } from "../transform/classify-line.js";
import { stripNulEscapes } from "../transform/nul.js";
import { lineShape } from "../transform/v2/shape.js";
import { parseLossless } from "./lossless-json.js";
import { type TweetFacts, tweetFacts } from "./tweet-facts.js";
import { v2PageFacts, v2TweetFacts } from "./v2-tweet-facts.js";

/** How the loaders judge a line (docs/line-rules.md): a tweet line, or null when it loads nothing. */
function judged(line: string): Extract<LineClass, { kind: "tweets" }> | null {
  try {
    const c = classifyLine(line);
    return c.kind === "tweets" ? c : null;
  } catch {
    return null;
  }
}

/**
 * The facts of every tweet of one archive line: none for a line the loaders reject or
 * skip (not JSON, a notice, bad input, a value that breaks docs/line-rules.md), one for a
 * v1.1 or flattened v2 tweet, one per loaded tweet of a v2 page. Which lines and which
 * tweets of a page load, and which shape a line is, come from the loaders' own rules
 * (classifyLine, lineShape), so the two cannot disagree on them; what each tweet holds is
 * read here independently, from the line with the `\u0000` escape removed as the contract
 * says.
 */
export function factsOfLine(raw: string): TweetFacts[] {
  const line = raw.trim();
  if (line === "") return [];
  const loaded = judged(line);
  if (loaded === null) return [];
  let parsed: unknown;
  try {
    parsed = parseLossless(stripNulEscapes(line));
  } catch {
    return [];
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return [];
  const value = parsed as Record<string, unknown>;
  const shape = lineShape(value);
  if (shape === "v2-page") return v2PageFacts(value, new Set(loaded.rejects.map((r) => r.index)));
  const facts = shape === "v2-tweet" ? v2TweetFacts(value) : tweetFacts(value);
  return facts ? [facts] : [];
}
