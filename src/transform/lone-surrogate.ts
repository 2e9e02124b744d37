const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|[^u])/g;

/**
 * Whether JSON text holds a `\uD800`-`\uDFFF` escape that is not half of a pair. JavaScript
 * reads one, PostgreSQL's json parser refuses it: such a line is bad input in every
 * loader alike. The quick test keeps the cost off ordinary lines.
 */
export function hasLoneSurrogateEscape(text: string): boolean {
  if (!SURROGATE_ESCAPE.test(text)) return false;
  let high = -1; // end index of a pending high surrogate escape
  for (const m of text.matchAll(ESCAPE)) {
    const unit = m[1] === undefined ? -1 : Number.parseInt(m[1], 16);
    const isLow = unit >= 0xdc00 && unit <= 0xdfff;
    if (high !== -1 && !(isLow && m.index === high)) return true;
    if (high === -1 && isLow) return true;
    high = unit >= 0xd800 && unit <= 0xdbff ? m.index + m[0].length : -1;
  }
  return high !== -1;
}

export const LONE_SURROGATE =
  "not valid JSON for PostgreSQL: a \\u escape of half a surrogate pair";
