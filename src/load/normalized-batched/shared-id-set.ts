/** Slots of a set: 8 MB, for up to MAX_FILL ids at a time. */
const SLOTS = 1 << 20;
/** Past half full, linear probing slows down: the set then starts again (costs speed only). */
const MAX_FILL = SLOTS >> 1;
const HEADER_BYTES = 8;
const INT64_MAX = (1n << 63n) - 1n;

/**
 * A set of positive 64-bit ids in a SharedArrayBuffer, so that every worker thread of a
 * load sees the ids the others added: the batched loader keeps there the users committed to
 * its database, and no worker stages a user again that another one already inserted.
 *
 * Open addressing with linear probing; a slot holds an id or 0 (empty) and is claimed with
 * compareExchange, so no lock is needed. An id is added only once its row is committed, so
 * `has` never answers true for a row the database lacks; ids are never removed one by one.
 * Ids outside 1…2^63−1 are never kept (they are rows for the database to refuse).
 */
export class SharedIdSet {
  private readonly slots: BigInt64Array;
  /** [0]: ids added since the set was last emptied. */
  private readonly header: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = SharedIdSet.newBuffer()) {
    this.header = new Int32Array(buffer, 0, 1);
    this.slots = new BigInt64Array(buffer, HEADER_BYTES, SLOTS);
  }

  static newBuffer(): SharedArrayBuffer {
    return new SharedArrayBuffer(HEADER_BYTES + SLOTS * 8);
  }

  has(id: string): boolean {
    const key = keyOf(id);
    if (key === null) return false;
    for (let i = slotOf(id); ; i = (i + 1) & (SLOTS - 1)) {
      const held: bigint = Atomics.load(this.slots, i);
      if (held === key) return true;
      if (held === 0n) return false;
    }
  }

  add(id: string): void {
    const key = keyOf(id);
    if (key === null) return;
    if (Atomics.load(this.header, 0) >= MAX_FILL) this.clear();
    for (let i = slotOf(id); ; i = (i + 1) & (SLOTS - 1)) {
      const held: bigint = Atomics.compareExchange(this.slots, i, 0n, key);
      if (held === 0n) {
        Atomics.add(this.header, 0, 1);
        return;
      }
      if (held === key) return;
    }
  }

  /** Ids added since the set was last emptied (a count, not a promise of membership). */
  get size(): number {
    return Atomics.load(this.header, 0);
  }

  /**
   * Empties the set. Another thread adding meanwhile may lose its id or leave the count a
   * little off: both cost speed only, never a wrong `has`.
   */
  private clear(): void {
    Atomics.store(this.header, 0, 0);
    for (let i = 0; i < SLOTS; i++) Atomics.store(this.slots, i, 0n);
  }
}

function keyOf(id: string): bigint | null {
  let key: bigint;
  try {
    key = BigInt(id);
  } catch {
    return null;
  }
  return key > 0n && key <= INT64_MAX ? key : null;
}

/** FNV-1a over the digits: cheaper than BigInt arithmetic, and spreads sequential ids. */
function slotOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) & (SLOTS - 1);
}
