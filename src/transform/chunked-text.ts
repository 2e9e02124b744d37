/**
 * Most characters kept in one string before it becomes a Buffer. V8 puts strings above
 * ~128 KB straight into large-object space, which only a full GC frees: with big strings a
 * worker's heap grew past 100 MB. Two-byte strings (emoji, CJK) use 2 bytes a character.
 */
export const CHUNK_CHARS = 32 * 1024;

/** Gathers text into UTF-8 Buffers of about CHUNK_CHARS characters each. */
export class ChunkedText {
  private text = "";
  private readonly chunks: Buffer[] = [];
  /** Total characters pushed. */
  length = 0;

  push(piece: string): void {
    this.text += piece;
    this.length += piece.length;
    if (this.text.length >= CHUNK_CHARS) this.flush();
  }

  /** The full chunks so far (and, with `all`, the partial one); they leave this object. */
  take(all = false): Buffer[] {
    if (all) this.flush();
    return this.chunks.splice(0);
  }

  private flush(): void {
    if (this.text !== "") this.chunks.push(Buffer.from(this.text, "utf8"));
    this.text = "";
  }
}
