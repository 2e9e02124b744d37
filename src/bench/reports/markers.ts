import { MissingMarkersError } from "../../errors.js";
export const README_START = "<!-- bench:start -->";
export const README_END = "<!-- bench:end -->";

/** Replaces what lies between the bench markers with `body`, keeping the markers. */
export function replaceMarkedSection(readme: string, body: string, what = "README.md"): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (
    start < 0 ||
    end < 0 ||
    end < start ||
    readme.indexOf(README_START, start + 1) >= 0 ||
    readme.indexOf(README_END, end + 1) >= 0
  ) {
    throw new MissingMarkersError(what, README_START, README_END);
  }
  const before = readme.slice(0, start + README_START.length);
  const after = readme.slice(end);
  return `${before}\n${body.trim()}\n${after}`;
}
