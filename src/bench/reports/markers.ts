export const README_START = "<!-- bench:start -->";
export const README_END = "<!-- bench:end -->";

/** A page has no (or broken) bench markers: nothing can be replaced. */
export class MissingMarkersError extends Error {
  constructor(what: string) {
    super(
      `${what} does not contain the markers ${README_START} and ${README_END} (in that order, once each); add them where the timing table belongs and run again.`,
    );
    this.name = "MissingMarkersError";
  }
}

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
    throw new MissingMarkersError(what);
  }
  const before = readme.slice(0, start + README_START.length);
  const after = readme.slice(end);
  return `${before}\n${body.trim()}\n${after}`;
}
