/**
 * JSON.parse for tweet lines without losing 64-bit ids: integer literals of 16
 * or more digits (outside strings) are turned into JSON strings first, so the
 * parsed value holds their exact digits. Smaller numbers stay numbers.
 * The checker's own reading of the JSON, independent of src/transform.
 */
export function parseLossless(line: string): unknown {
  return JSON.parse(quoteBigIntegers(line));
}

const BIG_DIGITS = 16;

export function quoteBigIntegers(json: string): string {
  let out = "";
  let last = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    const startsNumber = c === 0x2d || (c >= 0x30 && c <= 0x39);
    if (!startsNumber) continue;
    let j = i + 1;
    while (j < json.length && isNumberChar(json.charCodeAt(j))) j++;
    const literal = json.slice(i, j);
    if (/^-?\d+$/.test(literal) && literal.replace("-", "").length >= BIG_DIGITS) {
      out += `${json.slice(last, i)}"${literal}"`;
      last = j;
    }
    i = j - 1;
  }
  return out + json.slice(last);
}

function isNumberChar(c: number): boolean {
  // digits, '.', 'e', 'E', '+', '-'
  return (
    (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d
  );
}
