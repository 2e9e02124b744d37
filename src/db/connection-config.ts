import pg from "pg";
import { parse, toClientConfig } from "pg-connection-string";
import { type Env, environment } from "../env.js";
import { UserError } from "../errors.js";
import { trackBackend } from "./backends.js";
import { readSqlFile } from "./sql-file.js";
import { isConnectionUrl } from "./url-form.js";

/** The sslmode values libpq knows, and node-postgres' own `no-verify`. */
const SSL_MODES = new Set(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]);

/** The `sslmode` parameter of a connection URL, if it has one. */
export function sslModeOf(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get("sslmode") ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The URL with PGSSLMODE and PGSSLROOTCERT of `env` added where it names none, as libpq
 * reads them (node-postgres would read PGSSLMODE=require as "verify").
 */
export function withSslEnv(url: string, env: Env = environment()): string {
  const mode = env.PGSSLMODE?.trim();
  if (!mode || sslModeOf(url) !== undefined) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  parsed.searchParams.set("sslmode", mode);
  const root = env.PGSSLROOTCERT?.trim();
  if (root && !parsed.searchParams.has("sslrootcert")) parsed.searchParams.set("sslrootcert", root);
  return parsed.toString();
}

/**
 * pg.Client options for a URL, its `sslmode` read as libpq documents it: `disable` plain;
 * `allow` and `prefer` plain or encrypted, whichever the server takes (see connectClient);
 * `require` encrypted, the certificate not checked (unless `sslrootcert` is given: then as
 * verify-ca); `verify-ca` checked against `sslrootcert`; `verify-full` also the host name.
 * node-postgres alone verifies the certificate for `require` too, so a server with a
 * self-signed certificate failed where psql connects. PGSSLMODE and PGSSLROOTCERT count
 * where the URL names no sslmode. Without any sslmode (and with node-postgres' own
 * `no-verify`) the URL goes to pg as it is.
 */
export function clientConfig(
  given: string,
  extra: pg.ClientConfig = {},
  env: Env = environment(),
): pg.ClientConfig {
  // The last gate before a connection, for callers that skip resolveTargets: node-postgres
  // reads `postgres:pw@host` as its default server. The string is not echoed (a password).
  if (!isConnectionUrl(given)) {
    throw new UserError(
      "a connection string that does not start with postgres:// or postgresql:// was given: write it as postgres://USER@HOST:PORT/DATABASE",
      2,
    );
  }
  const url = withSslEnv(given, env);
  const mode = sslModeOf(url);
  if (mode === undefined || mode === "no-verify") return { ...extra, connectionString: url };
  if (!SSL_MODES.has(mode)) {
    throw new Error(
      `sslmode=${mode} is not an SSL mode: use disable, allow, prefer, require, verify-ca or verify-full (as libpq documents them)`,
    );
  }
  if (mode === "verify-ca" && !new URL(url).searchParams.has("sslrootcert")) {
    throw new Error(
      "sslmode=verify-ca checks the server's certificate against a certificate authority: name its file with sslrootcert=/path/to/root.crt in the URL",
    );
  }
  // libpq's `allow` tries a plain connection first; connectClient falls back to SSL.
  const parsed = parse(url, { useLibpqCompat: mode !== "allow" });
  if (mode === "allow") parsed.ssl = false;
  return { ...toClientConfig(parsed), ...extra };
}

/** What a server said when this attempt's choice of SSL or not was the wrong one. */
const WRONG_SSL = /does not support SSL|no encryption|SSL off/i;

/**
 * A connected client for `url` (an idle client's 'error' events are swallowed: the pending
 * query reports them). With sslmode `prefer` or `allow`, a server that refuses the first
 * choice (SSL for prefer, plain for allow) is tried the other way, as libpq does.
 */
export async function connectClient(url: string, extra: pg.ClientConfig = {}): Promise<pg.Client> {
  const config = clientConfig(url, extra);
  const first = await tryConnect(config);
  if (first instanceof pg.Client) return first;
  const mode = sslModeOf(withSslEnv(url));
  if ((mode === "prefer" || mode === "allow") && WRONG_SSL.test(first.message)) {
    const other = mode === "prefer" ? false : { rejectUnauthorized: false };
    const second = await tryConnect({ ...config, ssl: other });
    if (second instanceof pg.Client) return second;
    throw second;
  }
  throw first;
}

let guards: Promise<string> | undefined;

/**
 * A connected client with the session settings that keep a killed client's statements
 * from running on (session-guards.sql), known to cancelBackends.
 */
async function tryConnect(config: pg.ClientConfig): Promise<pg.Client | Error> {
  const client = new pg.Client(config);
  client.on("error", () => {});
  try {
    guards ??= readSqlFile(import.meta.url, "session-guards.sql");
    await client.connect();
    await client.query(await guards);
    trackBackend(client);
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    return error as Error;
  }
}
