import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { readLineBatches } from "../../input/read-lines.js";
import { ChunkedText } from "../../transform/chunked-text.js";
import { stripNulEscapes } from "../../transform/nul.js";
import type { FileHooks, Loader, LoaderSession, PgClient } from "../loader.js";

// CSV with quote and delimiter set to control characters that valid JSON text never holds
// raw: each line reaches jsonb_in untouched, with no escaping on our side or parsing cost
// on the server's.
const COPY_SQL = `COPY tweets_jsonb (data) FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`;

async function* copyChunks(file: string, hooks: FileHooks, count: { tweets: number }) {
  const out = new ChunkedText();
  for await (const batch of readLineBatches(file)) {
    for (const line of batch) out.push(`${stripNulEscapes(line.text)}\n`);
    count.tweets += batch.length;
    hooks.onProgress?.(count.tweets);
    yield* out.take();
  }
  yield* out.take(true);
}

class DenormalizedSession implements LoaderSession {
  constructor(private readonly client: PgClient) {}

  async loadFile(file: string, hooks: FileHooks = {}) {
    const count = { tweets: 0 };
    await this.client.query("BEGIN");
    try {
      const copy = this.client.query(copyFrom(COPY_SQL));
      await pipeline(Readable.from(copyChunks(file, hooks, count)), copy);
      await this.client.query("COMMIT");
    } catch (error) {
      await this.client.query("ROLLBACK").catch(() => {});
      throw error;
    }
    return { tweets: count.tweets, rejects: 0 };
  }
}

/** Streams each file's raw lines into tweets_jsonb with one COPY; one file, one transaction. */
export const denormalizedLoader: Loader = {
  kind: "denormalized",
  open: async (client) => new DenormalizedSession(client),
};
