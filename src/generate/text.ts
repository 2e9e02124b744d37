import type { JsonValue } from "./json-text.js";
import type { Account } from "./users.js";

/** One whitespace-separated piece of a tweet's text, possibly an entity. */
export type Piece =
  | { kind: "word"; text: string }
  | { kind: "hashtag" | "symbol"; text: string; tag: string }
  | { kind: "mention"; text: string; account: Account }
  | { kind: "url"; text: string; expanded: string; display: string };

/** Length in code points, the unit of Twitter's entity indices. */
export const cpLength = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

export interface LaidOut {
  text: string;
  /** Code point length of `text`. */
  length: number;
  entities: {
    hashtags: JsonValue[];
    urls: JsonValue[];
    user_mentions: JsonValue[];
    symbols: JsonValue[];
  };
  /** End offset (code points) of each piece, for cutting at a piece boundary. */
  ends: number[];
}

/** Joins pieces with spaces and computes the entity objects with code point indices. */
export function layOut(pieces: readonly Piece[]): LaidOut {
  const entities: LaidOut["entities"] = { hashtags: [], urls: [], user_mentions: [], symbols: [] };
  const ends: number[] = [];
  let offset = 0;
  const texts: string[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) offset += 1;
    const start = offset;
    const end = start + cpLength(piece.text);
    texts.push(piece.text);
    ends.push(end);
    offset = end;
    const indices = [start, end];
    switch (piece.kind) {
      case "hashtag":
        entities.hashtags.push({ text: piece.tag, indices });
        break;
      case "symbol":
        entities.symbols.push({ text: piece.tag, indices });
        break;
      case "mention":
        entities.user_mentions.push({
          screen_name: piece.account.screenName,
          name: piece.account.name,
          id: piece.account.id,
          id_str: piece.account.id.toString(),
          indices,
        });
        break;
      case "url":
        entities.urls.push({
          url: piece.text,
          expanded_url: piece.expanded,
          display_url: piece.display,
          indices,
        });
        break;
      case "word":
        break;
    }
  }
  return { text: texts.join(" "), length: offset, entities, ends };
}

/** Keeps the entities of `laidOut` that end at or before `cut` (code points). */
export function entitiesBefore(laidOut: LaidOut, cut: number): LaidOut["entities"] {
  const keep = (list: JsonValue[]) =>
    list.filter((e) => ((e as { indices: number[] }).indices[1] as number) <= cut);
  return {
    hashtags: keep(laidOut.entities.hashtags),
    urls: keep(laidOut.entities.urls),
    user_mentions: keep(laidOut.entities.user_mentions),
    symbols: keep(laidOut.entities.symbols),
  };
}

/** The first `n` code points of `text`. */
export function cpSlice(text: string, n: number): string {
  let out = "";
  let i = 0;
  for (const ch of text) {
    if (i++ >= n) break;
    out += ch;
  }
  return out;
}
