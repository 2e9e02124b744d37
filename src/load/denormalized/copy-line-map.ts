import type { RawChunk } from "../../input/raw-chunks.js";

interface Span {
  /** COPY line number (1-based) of the span's first line. */
  copyStart: number;
  member: string | null;
  firstLineNo: number;
  /** Member line numbers when the span's lines are not consecutive (blank lines skipped). */
  lineNos: number[] | null;
  /** For the rows of v2 pages: each row's index in its page's `data` (others undefined). */
  indexes: (number | undefined)[] | null;
}

/**
 * Remembers which input line each COPY data line came from, cheaply (one small record per
 * chunk), so that a COPY error's "line N" can name the member and line of the bad input,
 * and for a v2 page's row the tweet's index in the page.
 */
export class CopyLineMap {
  private readonly spans: Span[] = [];
  private lines = 0;

  add(chunk: RawChunk, indexes?: (number | undefined)[]): void {
    const { lineNos } = chunk;
    const first = lineNos[0] as number;
    const consecutive = (lineNos[lineNos.length - 1] as number) - first === lineNos.length - 1;
    this.spans.push({
      copyStart: this.lines + 1,
      member: chunk.member,
      firstLineNo: first,
      lineNos: consecutive ? null : lineNos,
      indexes: indexes?.some((i) => i !== undefined) ? indexes : null,
    });
    this.lines += lineNos.length;
  }

  /** COPY lines so far (the tweets of the file). */
  get count(): number {
    return this.lines;
  }

  /** The input member and line of COPY line `n` (and a page row's index), or null when out of range. */
  locate(n: number): { member: string | null; lineNo: number; index?: number } | null {
    if (n < 1 || n > this.lines) return null;
    let lo = 0;
    let hi = this.spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.spans[mid] as Span).copyStart <= n) lo = mid;
      else hi = mid - 1;
    }
    const span = this.spans[lo] as Span;
    const offset = n - span.copyStart;
    const index = span.indexes?.[offset];
    return {
      member: span.member,
      lineNo: span.lineNos ? (span.lineNos[offset] as number) : span.firstLineNo + offset,
      ...(index === undefined ? {} : { index }),
    };
  }
}
