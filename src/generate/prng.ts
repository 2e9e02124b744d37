/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so that the same seed
 * always yields the same archives, on every platform and Node version.
 * Math.random cannot be seeded, and BigInt-based 64-bit generators are slow.
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number | string) {
    let s = typeof seed === "number" ? seed >>> 0 : hashString(seed);
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A new generator whose stream depends only on this seed and `key`, not on how far this one ran. */
  static derive(seed: number | string, ...key: (number | string)[]): Rng {
    return new Rng(`${seed}/${key.join("/")}`);
  }

  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Index in [0, n) with probability falling off like 1/(i+1)^s (Zipf-like skew). */
  zipf(n: number, s = 1.1): number {
    // Inverse-CDF of the continuous power law, good enough for a skewed vocabulary.
    const u = this.float();
    if (s === 1) return Math.min(n - 1, Math.floor((n + 1) ** u) - 1);
    const a = 1 - s;
    const x = (1 + u * ((n + 1) ** a - 1)) ** (1 / a);
    return Math.min(n - 1, Math.max(0, Math.floor(x) - 1));
  }

  /** Picks by weight; `weights` need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let u = this.float() * total;
    for (const [item, w] of items) {
      u -= w;
      if (u < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  /** Random characters from `alphabet`. */
  chars(length: number, alphabet = ALNUM): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.float() * alphabet.length)];
    return out;
  }

  /** A uniformly random BigInt with `bits` random low bits (bits <= 53 per call is combined). */
  bits(bits: number): bigint {
    let out = 0n;
    let left = bits;
    while (left > 0) {
      const take = Math.min(left, 32);
      out = (out << BigInt(take)) | BigInt(this.uint32() >>> (32 - take));
      left -= take;
    }
    return out;
  }
}

export const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** FNV-1a over UTF-16 units: turns a string seed into 32 bits. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
