import { isObj, type Obj } from "./json-access.js";

/**
 * Which era and shape a parsed line is: a v1.1 tweet (it has a `user` object), a v2
 * response page (`data` is an array, or one tweet object from a lookup), or one v2 tweet
 * (`author_id` or an inlined `author`, as twarc2 flatten writes it). Anything else is
 * judged as v1.1, whose rules reject it.
 */
export type LineShape = "v1" | "v2-page" | "v2-tweet";

export function lineShape(value: Obj): LineShape {
  if (isObj(value.user)) return "v1";
  if (Array.isArray(value.data) || isObj(value.data)) return "v2-page";
  if (value.author_id !== undefined || isObj(value.author)) return "v2-tweet";
  return "v1";
}

/** The tweets of a page's `data`: an array as it is, a single object as one element. */
export const pageData = (page: Obj): unknown[] =>
  Array.isArray(page.data) ? page.data : [page.data];
