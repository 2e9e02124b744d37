import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";
import { Duplex, PassThrough, Readable, Transform } from "node:stream";
import unbzip2Stream from "unbzip2-stream";
import { environment } from "../env.js";

/**
 * The bzip2 decoders, fastest first. Measured on 106.7 MB of generated tweets (bzip2 -9,
 * 9.5 MB), MB of output per CPU second: lbzip2 63 (and it decodes the blocks of one
 * stream on several cores), pbzip2 52 (one core for a file bzip2 made), bzip2 36,
 * seek-bzip 29, unbzip2-stream 11 (README, "bzip2"). The system's tools run as child
 * processes, so their work is on other cores than the thread that reads the lines.
 */
export const BZIP2_DECODERS = ["lbzip2", "pbzip2", "bzip2", "js"] as const;
export type Bzip2Decoder = (typeof BZIP2_DECODERS)[number];

/** The environment variable that chooses a decoder (tests, benchmarks); unset: the fastest found. */
export const BZIP2_ENV = "TWEETLOAD_BZIP2";

const require = createRequire(import.meta.url);

function onPath(program: string): boolean {
  for (const dir of (environment().PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

let chosen: Bzip2Decoder | undefined;

/**
 * The decoder this process uses: TWEETLOAD_BZIP2 when set, else the first of lbzip2,
 * pbzip2 and bzip2 on the PATH, else the JavaScript one (no system tool needed, slower).
 */
export function bzip2Decoder(): Bzip2Decoder {
  if (chosen !== undefined) return chosen;
  const wanted = environment()[BZIP2_ENV];
  if (wanted !== undefined && wanted !== "") {
    if (!(BZIP2_DECODERS as readonly string[]).includes(wanted)) {
      throw new Error(`${BZIP2_ENV} must be one of ${BZIP2_DECODERS.join(", ")}, not ${wanted}`);
    }
    if (wanted !== "js" && !onPath(wanted)) {
      throw new Error(
        `${BZIP2_ENV}=${wanted}, but ${wanted} is not on the PATH: install it or unset ${BZIP2_ENV}`,
      );
    }
    chosen = wanted as Bzip2Decoder;
  } else {
    chosen = BZIP2_DECODERS.find((d) => d === "js" || onPath(d)) as Bzip2Decoder;
  }
  return chosen;
}

/** Forgets the decoder chosen (tests that change TWEETLOAD_BZIP2). */
export function resetBzip2Decoder(): void {
  chosen = undefined;
}

/**
 * A system decoder as a stream: compressed bytes in, decoded bytes out. The output ends
 * only once the program has exited 0, so damaged data (its exit status 2, the reason on
 * its stderr) is an error of the stream, never a clean end.
 */
function programStream(program: string, oneThread = false): Duplex {
  // One thread per member: members decode side by side, and lbzip2's threads cost it a
  // third more CPU per byte.
  const threads = oneThread ? ({ lbzip2: ["-n", "1"], pbzip2: ["-p1"] }[program] ?? []) : [];
  const child = spawn(program, ["-d", "-c", ...threads], { stdio: ["pipe", "pipe", "pipe"] });
  const out = new PassThrough({ highWaterMark: 1 << 17 });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    if (stderr.length < 2000) stderr += text;
  });
  child.stdout.pipe(out, { end: false });
  // The reader may stop early (a line limit, an error elsewhere): its input then goes nowhere.
  child.stdin.on("error", () => {});
  child.on("error", (error) => out.destroy(error));
  child.on("close", (code, signal) => {
    if (code === 0) out.end();
    else {
      const why = stderr.trim().replace(/\s+/g, " ") || `exit status ${code ?? signal}`;
      out.destroy(new Error(`${program} cannot decode it: ${why}`));
    }
  });
  const stream = Duplex.from({ writable: child.stdin, readable: out });
  stream.on("close", () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  });
  return stream;
}

/**
 * unbzip2-stream (an old-style `through` stream, which Duplex.from cannot wrap) as a
 * Transform; it decodes a block once the block has come in whole.
 */
function javascriptStream(): Transform {
  const decoder = unbzip2Stream();
  const stream = new Transform({
    transform(piece: Buffer, _encoding, callback) {
      decoder.write(piece);
      callback();
    },
    flush(callback) {
      decoder.once("end", () => callback());
      decoder.end();
    },
  });
  decoder.on("data", (piece: Buffer) => stream.push(piece));
  decoder.on("error", (error: Error) =>
    stream.destroy(new Error(`unbzip2-stream cannot decode it: ${error.message}`)),
  );
  return stream;
}

/** A bzip2 decoder stream (compressed in, decoded out); damaged data is a stream error. */
export function bunzip2Stream(): Duplex {
  const decoder = bzip2Decoder();
  return decoder === "js" ? javascriptStream() : programStream(decoder);
}

interface SeekBzip {
  decode(input: Buffer, size: undefined, multistream: boolean): Buffer;
}

/** Output pieces of a decoded buffer, the size the readers take. */
const PIECE = 1 << 17;

/**
 * The decoded bytes of a whole bzip2 buffer (a tar member) as a stream. The JavaScript
 * fallback decodes a buffer at once with seek-bzip (about 2.5 times the speed of the
 * streaming unbzip2-stream); a system decoder streams it, on one thread (several members
 * decode at once).
 */
export function bunzip2Buffer(data: Uint8Array): Readable {
  const program = bzip2Decoder();
  if (program !== "js") {
    const decoder = programStream(program, true);
    decoder.end(data);
    return decoder;
  }
  let decoded: Buffer;
  try {
    // Multistream: pbzip2 and lbzip2 -z write several streams, one after another.
    decoded = (require("seek-bzip") as SeekBzip).decode(Buffer.from(data), undefined, true);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return Readable.from(
      (async function* () {
        yield* [];
        throw new Error(`seek-bzip cannot decode it: ${reason}`);
      })(),
    );
  }
  return Readable.from(
    (function* () {
      for (let at = 0; at < decoded.length; at += PIECE) yield decoded.subarray(at, at + PIECE);
    })(),
  );
}
