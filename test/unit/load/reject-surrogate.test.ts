import { describe, expect, it } from "vitest";
import { hasLoneSurrogateEscape, tweetLineError } from "../../../src/load/rows-of-lines.js";

describe("lines PostgreSQL's json parser refuses are rejected by every loader", () => {
  it.each([
    ['{"a":"\\ud800"}', true],
    ['{"a":"\\udc00"}', true],
    ['{"a":"\\ud83dx"}', true],
    ['{"a":"\\ud83d"}', true],
    ['{"a":"\\ud83d\\n\\ude00"}', true],
    ['{"a":"\\ud83d\\ude00"}', false],
    ['{"a":"\\\\ud800"}', false],
    ['{"a":"plain"}', false],
  ])("%s has a lone surrogate escape: %s", (text, lone) => {
    expect(hasLoneSurrogateEscape(text)).toBe(lone);
  });

  it("names the reason for each kind of bad line, and null for a tweet", () => {
    expect(tweetLineError("not json")).toMatch(/^not valid JSON/);
    expect(tweetLineError("[1]")).toMatch(/not an object/);
    expect(tweetLineError('{"id":1}')).toMatch(/lacks an id or a user/);
    expect(tweetLineError('{"id":1,"user":{"id":2},"text":"\\udc00"}')).toMatch(/surrogate/);
    expect(tweetLineError('{"id":1,"user":{"id":2}}')).toBeNull();
  });
});
