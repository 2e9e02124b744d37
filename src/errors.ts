/**
 * Every error class tweetload raises, and the one reading of a server's (or socket's)
 * error code that retries, line refusals and connection hints share. At the bottom of the
 * import graph (it imports nothing) so that every layer can throw one without importing
 * the layer that reports it; constructors take plain values for the same reason.
 */

/** An error whose message is already a sentence for the user: print it without a stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "UserError";
  }
}

/** A file that cannot be read as an archive of tweet lines; the message names the file. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "InputError";
  }
}

/** A file whose bytes, or whose name's file, changed since tweetload identified it. */
export class FileChangedWhileLoadingError extends InputError {
  /** `then` and `now` are stamps `dev:ino:size:…` (input/file-identity.ts); now null: gone. */
  constructor(file: string, when: "read" | "loaded", then: string, now: string | null) {
    const [dev, ino, size] = then.split(":");
    const [nowDev, nowIno, nowSize] = now?.split(":") ?? [];
    const how =
      now === null
        ? "it is gone"
        : nowDev !== dev || nowIno !== ino
          ? "another file now has its name: it was renamed over or replaced"
          : nowSize !== size
            ? `its size went from ${size} to ${nowSize} bytes`
            : "it was written to";
    super(
      file,
      `${file} changed while it was ${when} (${how}): not loaded, and its content not journaled; load it again once nothing writes to it`,
    );
    this.name = "FileChangedWhileLoadingError";
  }
}

/** A file that cannot be cut: a member holding one JSON array (its elements span lines). */
export class NotChunkableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotChunkableError";
  }
}

/** A tar member that cannot be read to its end; its reader rejects the rest of it. */
export class MemberDamageError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = "MemberDamageError";
  }
}

/** A line that is not JSON or not a tweet object: the caller rejects it and goes on. */
export class BadLineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BadLineError";
  }
}

/**
 * Thrown by `idOf` when an id is a number above 2^53 without a `_str` twin: JSON.parse has
 * rounded it, so the line is parsed again exactly (quoteBigIntegers). Thrown again after
 * that, the id was not written as plain digits (`1.5e18`): its message is the reject's reason.
 */
export class InexactIdError extends Error {
  /** `shown`: the value as JSON.parse read it, as the reject's reason shows it. */
  constructor(path: string, shown: string) {
    super(
      `${path} is a number above 2^53 not written as plain digits (it reads as ${shown}), so it cannot be read exactly`,
    );
    this.name = "InexactIdError";
  }
}

/** A file changed in place after it was loaded: refused unless --replace or --force. */
export class FileChangedError extends Error {
  constructor(
    entry: { path: string; size: number; contentHash: string },
    row: { size: number; contentHash: string; finishedAt: Date; unfinished?: true },
  ) {
    const hash = (h: string) => `SHA-1 ${h.slice(0, 12)}`;
    const now = `now ${entry.size} bytes, ${hash(entry.contentHash)}`;
    const since = row.unfinished
      ? `changed since a load of it began on ${row.finishedAt.toISOString()} that did not finish (then ${hash(row.contentHash)}; ${now})`
      : `changed since it was loaded on ${row.finishedAt.toISOString()} (then ${row.size} bytes, ${hash(row.contentHash)}; ${now})`;
    super(
      `${entry.path} ${since}: not loaded. --replace removes the rows of the earlier load and loads this content; --force loads it beside them`,
    );
    this.name = "FileChangedError";
  }
}

/**
 * A whole-file load found chunks of its content committed by a load in chunks (an earlier
 * one that stopped, or one running now): it must finish the file in those chunks. `Row` is
 * the journal's chunk row (load/journal-chunks.ts).
 */
export class ChunksCommittedError<Row = unknown> extends Error {
  constructor(readonly rows: Row[]) {
    super(`${rows.length} chunks of this file are committed by a load in chunks`);
    this.name = "ChunksCommittedError";
  }
}

/** A COPY row the server refused, with the line (and v2 page index) it came from. */
export class RefusedRowError extends Error {
  constructor(
    readonly source: { member: string | null; lineNo: number; index?: number },
    readonly refusal: unknown,
  ) {
    super((refusal as Error).message, { cause: refusal });
    this.name = "RefusedRowError";
  }
}

/** A COPY that failed, with the key of the stream it was on (its lines are counted there). */
export class StreamError extends Error {
  constructor(
    readonly key: string,
    readonly error: unknown,
  ) {
    super((error as Error).message);
    this.name = "StreamError";
  }
}

/** The reject file could not be made, written or synced: the file must not commit. */
export class RejectFileError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `cannot write the reject file ${path} (${reason}), so the file was stopped before it finished: free space there or choose a writable directory with --rejects, then run the load again`,
      { cause },
    );
    this.name = "RejectFileError";
  }
}

/** A file that had more rejected lines than --max-rejects allows (`limit` as it was written). */
export class TooManyRejectsError extends Error {
  constructor(limit: string, rejects: number) {
    super(
      `${rejects} lines are not tweets, more than --max-rejects ${limit} allows: look at its reject file, or raise --max-rejects`,
    );
    this.name = "TooManyRejectsError";
  }
}

/** A file in which no line is a tweet: loading it would journal a file that added nothing. */
export class NoTweetsError extends Error {
  constructor(rejects: number, notices: number) {
    super(
      `no line of it is a tweet (${rejects} rejected, ${notices} stream notices): is it an archive of Twitter API v1.1 tweets?`,
    );
    this.name = "NoTweetsError";
  }
}

/** A page has no (or broken) bench markers `start` … `end`: nothing can be replaced. */
export class MissingMarkersError extends Error {
  constructor(what: string, start: string, end: string) {
    super(
      `${what} does not contain the markers ${start} and ${end} (in that order, once each); add them where the timing table belongs and run again.`,
    );
    this.name = "MissingMarkersError";
  }
}

/**
 * What an error's code (a SQLSTATE from PostgreSQL, an errno from the socket) says about
 * it, the one reading every caller uses:
 * - `conflict`: a deadlock or serialization failure; the same transaction, repeated, is
 *   likely to succeed.
 * - `lost`, `refused`: the connection went away or was not accepted (a server restarting,
 *   a backend terminated, a server down); a new connection may succeed later.
 * - `data`: the statement's data was refused (class 22, data exception; 23, integrity
 *   constraint violation, such as a CHECK a user added; 54001, nested past the stack
 *   depth), not the connection or the transaction.
 * - `canceled`: a statement cancelled by its statement_timeout.
 * - `login`, `no-database`, `untrusted`: a connection refused for its user or password,
 *   its database name, or the server's certificate.
 * - `fatal`: anything else.
 */
export type ErrorKind =
  | "conflict"
  | "lost"
  | "refused"
  | "data"
  | "canceled"
  | "login"
  | "no-database"
  | "untrusted"
  | "fatal";

const KIND_OF_CODE: Record<string, ErrorKind> = {
  "40P01": "conflict",
  "40001": "conflict",
  "57P01": "lost",
  "57P02": "lost",
  "57P03": "lost",
  "08000": "lost",
  "08001": "lost",
  "08003": "lost",
  "08006": "lost",
  ECONNRESET: "lost",
  EPIPE: "lost",
  ETIMEDOUT: "lost",
  EHOSTUNREACH: "lost",
  ENETUNREACH: "lost",
  ECONNREFUSED: "refused",
  "54001": "data",
  "57014": "canceled",
  "28P01": "login",
  "28000": "login",
  "3D000": "no-database",
};
// node-postgres reports a socket that closed under it with these messages and no code.
const LOST_MESSAGES =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable/;
/** Node's codes for a certificate that could not be verified or names another host. */
const TLS_TRUST = /SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|CERT_|ERR_TLS_CERT_ALTNAME_INVALID/;

/** The `code` an error carries (a SQLSTATE or an errno), if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The kind of `error` itself (not of its causes). */
export function errorKind(error: unknown): ErrorKind {
  const code = errorCode(error);
  if (code !== undefined) {
    const kind = KIND_OF_CODE[code];
    if (kind) return kind;
    if (code.startsWith("22") || code.startsWith("23")) return "data";
    if (TLS_TRUST.test(code)) return "untrusted";
  }
  return error instanceof Error && LOST_MESSAGES.test(error.message) ? "lost" : "fatal";
}

/** The kinds of `error` and of the causes it wraps, outermost first. */
export function errorKinds(error: unknown): ErrorKind[] {
  const kinds: ErrorKind[] = [];
  for (let e = error, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    kinds.push(errorKind(e));
  }
  return kinds;
}

/**
 * Whether repeating the whole file (on a new connection) may succeed: a conflict, or a
 * connection lost or refused, anywhere in the error's causes. Bad input and SQL errors are
 * not transient.
 */
export const isTransient = (error: unknown): boolean =>
  errorKinds(error).some((kind) => kind === "conflict" || kind === "lost" || kind === "refused");
