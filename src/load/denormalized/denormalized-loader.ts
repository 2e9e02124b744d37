import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { readRawChunks } from "../../input/raw-chunks.js";
import { stripNulEscapes } from "../../transform/nul.js";
import type { FileHooks, Loader, LoaderSession, PgClient } from "../loader.js";
import { CopyLineMap, copyErrorLine } from "./copy-line-map.js";

// CSV with quote and delimiter set to control characters that valid JSON text never holds
// raw: each line reaches jsonb_in untouched, with no escaping on our side or parsing cost
// on the server's.
const COPY_SQL = `COPY tweets_jsonb (data) FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`;

const NUL_ESCAPE = Buffer.from("\\u0000");

/** The file's lines as COPY data: raw bytes, rewritten only where a \u0000 escape occurs. */
async function* copyData(file: string, hooks: FileHooks, lines: CopyLineMap) {
  for await (const chunk of readRawChunks(file)) {
    lines.add(chunk);
    hooks.onProgress?.(lines.count);
    yield chunk.data.indexOf(NUL_ESCAPE) === -1
      ? chunk.data
      : Buffer.from(stripNulEscapes(chunk.data.toString("utf8")), "utf8");
  }
}

/** Names the input member and line of a COPY error, when PostgreSQL says which line failed. */
function located(file: string, error: unknown, lines: CopyLineMap): unknown {
  const n = copyErrorLine(error);
  const at = n === null ? null : lines.locate(n);
  if (!at || !(error instanceof Error)) return error;
  const where = `${file}${at.member === null ? "" : ` ${at.member}`}:${at.lineNo}`;
  return Object.assign(new Error(`${where}: ${error.message}`, { cause: error }), {
    code: (error as { code?: unknown }).code,
    member: at.member,
    lineNo: at.lineNo,
  });
}

class DenormalizedSession implements LoaderSession {
  constructor(private readonly client: PgClient) {}

  async loadFile(file: string, hooks: FileHooks = {}) {
    const lines = new CopyLineMap();
    await this.client.query("BEGIN");
    try {
      const copy = this.client.query(copyFrom(COPY_SQL));
      await pipeline(Readable.from(copyData(file, hooks, lines)), copy);
      await this.client.query("COMMIT");
    } catch (error) {
      await this.client.query("ROLLBACK").catch(() => {});
      throw located(file, error, lines);
    }
    return { tweets: lines.count, rejects: 0 };
  }
}

/**
 * Streams each file's raw lines into tweets_jsonb with one COPY; one file, one transaction.
 * Bytes go from the archive to the socket without being decoded: this loader's speed is
 * PostgreSQL's jsonb parsing, which is the floor any loader of this table has.
 */
export const denormalizedLoader: Loader = {
  kind: "denormalized",
  open: async (client) => new DenormalizedSession(client),
};
