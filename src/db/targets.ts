import { type Env, environment } from "../env.js";
import { UserError } from "../errors.js";
import { runningEmbeddedTargets, tweetloadHome } from "./embedded-state.js";
import { DB_KINDS, type DbKind, databaseName, type Targets } from "./kinds.js";
import { isConnectionUrl, maskedNonUrl, requireUrlForm } from "./url-form.js";

export { DB_KINDS, type DbKind, databaseName, type Targets } from "./kinds.js";

/** The environment variable that names one database's URL. */
export const targetEnvName = (kind: DbKind) => `TWEETLOAD_${kind.toUpperCase()}_URL` as const;

/** The command-line flag that names one database's URL (`--normalized-batch-url`). */
export const targetFlagName = (kind: DbKind) => `${kind.replaceAll("_", "-")}-url` as const;

/**
 * Picks each database's URL, per database: the flag, then
 * `TWEETLOAD_<KIND>_URL`, then the PG* variables (one server holding all three
 * as `pg_<kind>`), then the running embedded clusters of `TWEETLOAD_HOME`
 * (default `.tweetload/` in the project).
 */
export async function resolveTargets(
  flags: Partial<Record<DbKind, string>>,
  env: Env = environment(),
  flagSource: (kind: DbKind) => string = flagOf,
): Promise<Targets> {
  return (await resolveTargetsOf(DB_KINDS, flags, env, flagSource)) as Targets;
}

const flagOf = (kind: DbKind) => `--${targetFlagName(kind)}`;

/** How the library names a URL it was given (`targets.normalized_batch`), in refusals. */
export const optionOf = (kind: DbKind) => `targets.${kind}`;

/**
 * The URL flags of a parsed command line (`--denormalized-url` …), by database, each
 * refused by its flag's name when it is not a URL (the library would name its option).
 */
export function targetFlagsOf(argv: {
  denormalizedUrl?: string | undefined;
  normalizedUrl?: string | undefined;
  normalizedBatchUrl?: string | undefined;
}): Partial<Record<DbKind, string>> {
  const flags: Partial<Record<DbKind, string>> = {};
  if (argv.denormalizedUrl !== undefined) flags.denormalized = argv.denormalizedUrl;
  if (argv.normalizedUrl !== undefined) flags.normalized = argv.normalizedUrl;
  if (argv.normalizedBatchUrl !== undefined) flags.normalized_batch = argv.normalizedBatchUrl;
  for (const kind of DB_KINDS) {
    const flag = nonEmpty(flags[kind]);
    if (flag) requireUrlForm(kind, flag, flagOf(kind));
  }
  return flags;
}

/**
 * The URLs of just the databases in `kinds`, by the same rules: a command that uses one
 * database needs no URL for the others.
 */
export async function resolveTargetsOf<K extends DbKind>(
  kinds: readonly K[],
  flags: Partial<Record<DbKind, string>>,
  env: Env = environment(),
  flagSource: (kind: DbKind) => string = flagOf,
): Promise<Pick<Targets, K>> {
  const found: Partial<Targets> = {};
  const missing: K[] = [];
  for (const kind of kinds) {
    const flag = nonEmpty(flags[kind]);
    const fromEnv = nonEmpty(env[targetEnvName(kind)]);
    if (flag) requireUrlForm(kind, flag, flagSource(kind));
    else if (fromEnv) requireUrlForm(kind, fromEnv, targetEnvName(kind));
    const url = flag ?? fromEnv ?? urlFromPgEnv(kind, env);
    if (url) found[kind] = url;
    else missing.push(kind);
  }
  if (missing.length > 0) {
    const home = tweetloadHome(env);
    const embedded = await runningEmbeddedTargets(home);
    if (!embedded) {
      const flagList = missing.map((kind) => `--${targetFlagName(kind)}`).join(", ");
      throw new UserError(
        `no database given for ${missing.join(", ")} and no embedded clusters are running in ${home}: ` +
          `run \`tweetload db up\` first, or pass ${flagList} (or set ${missing.map(targetEnvName).join(", ")}, or PGHOST/PGPORT/PGUSER/PGPASSWORD).`,
      );
    }
    for (const kind of missing) found[kind] = embedded[kind];
  }
  return found as Pick<Targets, K>;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== "" ? value.trim() : undefined;
}

/** A URL for `pg_<kind>` on the server the libpq-style PG* variables describe, if any is set. */
function urlFromPgEnv(kind: DbKind, env: Env): string | undefined {
  const host = nonEmpty(env.PGHOST);
  const port = nonEmpty(env.PGPORT);
  const user = nonEmpty(env.PGUSER);
  if (!host && !port && !user) return undefined;
  const password = env.PGPASSWORD ?? "";
  const auth = user
    ? `${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ""}@`
    : "";
  const db = databaseName(kind);
  // A host that is a directory means a Unix socket; URLs carry it as a query parameter.
  if (host?.startsWith("/")) {
    const portPart = port ? `&port=${encodeURIComponent(port)}` : "";
    return `postgres://${auth}/${db}?host=${encodeURIComponent(host)}${portPart}`;
  }
  return `postgres://${auth}${host ?? "localhost"}${port ? `:${port}` : ""}/${db}`;
}

/** The URL with any password replaced by `***`, for logs and messages. */
export function redactUrl(url: string): string {
  // `postgres:user:pw@host` parses as a URL without a host or a password: masked as text.
  if (!isConnectionUrl(url)) return redactText(maskedNonUrl(url));
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***");
    return parsed.toString();
  } catch {
    return redactText(url);
  }
}

/** Not a URL (perhaps a libpq key=value string): hides what follows password= or `user:`. */
function redactText(text: string): string {
  return text
    .replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi, "$1***")
    .replace(/(:\/\/[^:/@\s]*:)[^@\s]*@/, "$1***@");
}

/**
 * `text` with the password of every URL in `urls` (as written and URL-decoded, from the
 * user part or a `password=` parameter), and any URL-shaped credentials or `password=`
 * value, replaced by `***`: for error messages that may quote a URL or a server's words.
 */
export function redactSecrets(text: string, urls: readonly string[] = []): string {
  let out = text;
  for (const secret of secretsOf(urls)) out = out.split(secret).join("***");
  return out
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, "$1***@")
    .replace(/\b(postgres(?:ql)?:)(?!\/\/)[^\s"']*@/gi, "$1***@")
    .replace(/(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&'"]+)/gi, "$1***");
}

/** The passwords in some URLs, as written and decoded, longest first (none empty). */
function secretsOf(urls: readonly string[]): string[] {
  const found = new Set<string>();
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    for (const raw of [parsed.password, parsed.searchParams.get("password") ?? ""]) {
      if (raw !== "") found.add(raw).add(safeDecode(raw));
    }
  }
  return [...found].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
