import { UserError } from "../errors.js";
import { type DbKind, databaseName } from "./kinds.js";

/**
 * The one form tweetload reads. node-postgres takes anything that parses as a URL:
 * `postgres:S3CRET@host:54331/db` (no `//`) has no host to it, so pg connected to its default
 * server, 127.0.0.1:5432, and the string, printed as a URL, showed the password.
 */
const URL_START = /^postgres(ql)?:\/\//i;

/** Whether `url` has the form every connection in tweetload must have. */
export const isConnectionUrl = (url: string): boolean => URL_START.test(url);

/**
 * The form to use. The password goes in the prose, not as `USER:PASSWORD@` in the URL: the
 * fatal-error printer masks whatever stands between `scheme://user:` and `@`, placeholders too.
 */
const URL_FORM = (kind: DbKind) =>
  `postgres://USER@HOST:PORT/${databaseName(kind)} (USER:PASSWORD@HOST when it needs a password)`;

/**
 * `url` fit to print although it is not a URL: whatever stands before its last `@` after
 * the first name (a user, or a scheme written without `//`) is `***`, so a password is
 * hidden even when it holds `:`, `/` or `@`.
 */
export function maskedNonUrl(url: string): string {
  const at = url.lastIndexOf("@");
  if (at === -1) return url;
  const left = url.slice(0, at);
  const prefix = /^[a-z][a-z0-9+.-]*:\/\/|^/i.exec(left)?.[0] ?? "";
  const name = /^[^:]*/.exec(left.slice(prefix.length))?.[0] ?? "";
  const hidden = name.length < left.length - prefix.length ? ":***" : "";
  return `${prefix}${name}${hidden}${url.slice(at)}`;
}

/**
 * Refuses, in one sentence and before anything connects, a URL that does not start with
 * `postgres://` or `postgresql://`: `localhost:5432` (a URL of scheme "localhost", no
 * host), `postgres:user:pw@host/db`, `socket:/dir`, a libpq key=value string. node-postgres
 * misreads each of them and silently connects to its default server. `source` names where
 * the URL came from (a flag, an environment variable, an option of the library).
 */
export function requireUrlForm(kind: DbKind, url: string, source: string): void {
  if (isConnectionUrl(url)) return;
  if (/^\s*\w+\s*=/.test(url)) {
    throw new UserError(
      `${source} is a key=value connection string, which tweetload does not read: ` +
        `write it as a URL, ${URL_FORM(kind)}.`,
      2,
    );
  }
  const shown = maskedNonUrl(url);
  const scheme = /^(postgres(?:ql)?|socket):\/?(?!\/)/i.exec(url)?.[1];
  if (scheme !== undefined) {
    const socket = scheme.toLowerCase() === "socket";
    throw new UserError(
      `${source} ${JSON.stringify(shown)} is not a connection URL: it must start with ` +
        `postgres:// or postgresql:// (two slashes), as ${URL_FORM(kind)}` +
        `${socket ? `; a Unix socket is postgres://USER@/${databaseName(kind)}?host=/socket/directory` : ""}.`,
      2,
    );
  }
  const suggestion = shown.includes("://")
    ? `postgres://${shown.slice(shown.indexOf("://") + 3)}`
    : `postgres://${shown.includes("@") ? "" : "USER@"}${shown}${shown.includes("/") ? "" : `/${databaseName(kind)}`}`;
  throw new UserError(
    `${source} ${JSON.stringify(shown)} is not a connection URL: write it as ` +
      `${URL_FORM(kind)}, here perhaps ${suggestion}.`,
    2,
  );
}
