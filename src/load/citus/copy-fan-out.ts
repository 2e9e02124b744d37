import { once } from "node:events";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { StreamError } from "../../errors.js";
import type { PgClient } from "../loader.js";

interface Stream {
  input: PassThrough;
  done: Promise<void>;
}

/**
 * COPY streams to several connections at once, one per key (a Citus node), opened on the
 * first data for their key. A write waits while its stream's buffer is full, so the
 * slowest node paces the reader. The first stream to fail fails every later write and
 * `end` with a StreamError naming its key.
 */
export class CopyFanOut {
  private readonly streams = new Map<string, Promise<Stream>>();
  private failure: StreamError | undefined;

  constructor(
    /** The connection (in its open transaction) and COPY statement of a key. */
    private readonly target: (key: string) => Promise<{ client: PgClient; sql: string }>,
  ) {}

  private stream(key: string): Promise<Stream> {
    let stream = this.streams.get(key);
    if (!stream) {
      stream = this.target(key).then(({ client, sql }) => {
        const input = new PassThrough({ highWaterMark: 1 << 20 });
        const done = pipeline(input, client.query(copyFrom(sql))).catch((error: unknown) => {
          this.failure ??= new StreamError(key, error);
          throw this.failure;
        });
        done.catch(() => {});
        return { input, done };
      });
      this.streams.set(key, stream);
    }
    return stream;
  }

  async write(key: string, data: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    const { input, done } = await this.stream(key);
    if (!input.write(data)) await Promise.race([once(input, "drain"), done]);
    if (this.failure) throw this.failure;
  }

  /** Ends every stream and waits for each COPY to finish. */
  async end(): Promise<void> {
    const streams = await Promise.all(this.streams.values());
    for (const s of streams) s.input.end();
    await Promise.all(streams.map((s) => s.done));
    if (this.failure) throw this.failure;
  }

  /** After a failure elsewhere: stops every stream (their transactions are rolled back). */
  async abort(): Promise<void> {
    const streams = (await Promise.allSettled(this.streams.values())).flatMap((r) =>
      r.status === "fulfilled" ? [r.value] : [],
    );
    for (const s of streams) s.input.destroy(new Error("load stopped"));
    await Promise.allSettled(streams.map((s) => s.done));
  }
}
