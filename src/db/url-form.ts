import { UserError } from "../errors.js";
import { type DbKind, databaseName } from "./kinds.js";

/** The schemes node-postgres reads as a connection string; anything else it misreads. */
const SCHEME = /^(postgres|postgresql|socket):/i;

/**
 * Refuses a URL that node-postgres would misread: `localhost:5432` parses as a URL of
 * scheme "localhost" with no host, and pg then silently connects to its default server.
 * `source` names where the URL came from (a flag or an environment variable).
 */
/**
 * The form to use. The password goes in the prose, not as `USER:PASSWORD@` in the URL: the
 * fatal-error printer masks whatever stands between `scheme://user:` and `@`, placeholders too.
 */
const URL_FORM = (kind: DbKind) =>
  `postgres://USER@HOST:PORT/${databaseName(kind)} (USER:PASSWORD@HOST when it needs a password)`;

export function requireUrlForm(kind: DbKind, url: string, source: string): void {
  if (SCHEME.test(url)) return;
  if (/^\s*\w+\s*=/.test(url)) {
    throw new UserError(
      `${source} is a key=value connection string, which tweetload does not read: ` +
        `write it as a URL, ${URL_FORM(kind)}.`,
      2,
    );
  }
  // The value may hold a password ("user:secret@host"): never echo it.
  const shown = url.replace(/:[^:@/]*@/, ":***@");
  const suggestion = shown.includes("://")
    ? `postgres://${shown.slice(shown.indexOf("://") + 3)}`
    : `postgres://${shown.includes("@") ? "" : "USER@"}${shown}${shown.includes("/") ? "" : `/${databaseName(kind)}`}`;
  throw new UserError(
    `${source} ${JSON.stringify(shown)} is not a connection URL: write it as ` +
      `${URL_FORM(kind)}, here perhaps ${suggestion}.`,
    2,
  );
}
