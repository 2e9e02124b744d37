import { access, constants, readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DB_KINDS, type DbKind, databaseName, targetEnvName } from "../../src/db/targets.js";
import { projectPath } from "../../src/paths.js";

/**
 * The CI workflows cannot run here (no Docker engine), so this reads them as GitHub would
 * and checks each one does what its name and badge promise, against the real
 * docker-compose.yml and scripts.
 */

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  jobs: Record<string, { "runs-on": string; env?: Record<string, string>; steps: Step[] }>;
}

const MODES = ["sequential", "parallel"] as const;
const CASES = DB_KINDS.flatMap((db) =>
  MODES.map((mode) => ({
    db,
    mode,
    file: `tests_${db}${mode === "parallel" ? "_parallel" : ""}.yml`,
  })),
);

// Merge keys (`<<: *anchor`) as docker compose reads them.
const readYaml = async <T>(...path: string[]): Promise<T> =>
  parse(await readFile(projectPath(...path), "utf8"), { merge: true }) as T;

/** Compose's `${VAR:-default}` as docker compose reads it with VAR unset. */
const withDefaults = (value: string) =>
  value.replace(
    /\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g,
    (_all, fallback: string | undefined) => fallback ?? "",
  );

interface ComposeService {
  ports?: (string | { published?: string | number; target?: number })[];
  environment?: Record<string, string> | string[];
}

/** The URL a client on the host reaches a compose service's database with, by default. */
async function composeUrl(db: DbKind): Promise<URL> {
  const compose = await readYaml<{ services: Record<string, ComposeService> }>(
    "docker-compose.yml",
  );
  const service = compose.services[databaseName(db)];
  if (!service) throw new Error(`docker-compose.yml has no service ${databaseName(db)}`);
  const mapping = service.ports?.find((port) =>
    typeof port === "string" ? withDefaults(port).endsWith(":5432") : port.target === 5432,
  );
  // "HOST_IP:PUBLISHED:TARGET" or "PUBLISHED:TARGET" (long syntax: host_ip, published).
  const parts = typeof mapping === "string" ? withDefaults(mapping).split(":") : [];
  const published =
    typeof mapping === "string" ? parts.at(-2) : withDefaults(String(mapping?.published ?? ""));
  const host = parts.length === 3 ? parts[0] : "127.0.0.1";
  const environment = Array.isArray(service.environment)
    ? Object.fromEntries(service.environment.map((entry) => entry.split(/=(.*)/s).slice(0, 2)))
    : (service.environment ?? {});
  const env = (key: string) => {
    const value = environment[key];
    return value === undefined ? undefined : withDefaults(value);
  };
  const url = new URL(`postgres://${host}:${published}/${databaseName(db)}`);
  url.username = env("POSTGRES_USER") ?? "postgres";
  url.password = env("POSTGRES_PASSWORD") ?? "";
  return url;
}

describe("the CI workflows", () => {
  it("are exactly the six of the course repository, one per database and mode", async () => {
    const files = (await readdir(projectPath(".github", "workflows"))).filter((f) =>
      /\.ya?ml$/.test(f),
    );
    expect(files.sort()).toEqual(CASES.map((c) => c.file).sort());
  });

  describe.each(CASES)("$file", ({ db, mode, file }) => {
    const load = async () => {
      const workflow = await readYaml<Workflow>(".github", "workflows", file);
      const jobs = Object.values(workflow.jobs);
      expect(jobs).toHaveLength(1);
      const job = jobs[0] as Workflow["jobs"][string];
      const runs = job.steps.map((step) => step.run ?? "");
      const indexOf = (pattern: RegExp) => runs.findIndex((run) => pattern.test(run));
      return { workflow, job, runs, indexOf };
    };

    it("is named after its file and runs on every push and pull request", async () => {
      const { workflow, job } = await load();
      expect(workflow.name).toBe(file.replace(/\.yml$/, ""));
      expect(Object.keys(workflow.on)).toEqual(
        expect.arrayContaining(["push", "pull_request", "workflow_dispatch"]),
      );
      expect(job["runs-on"]).toMatch(/^ubuntu-/);
    });

    it("checks out, sets up Node 20 and installs with npm ci, in that order", async () => {
      const { job, indexOf } = await load();
      const checkout = job.steps.findIndex((s) => s.uses?.startsWith("actions/checkout@"));
      const node = job.steps.findIndex((s) => s.uses?.startsWith("actions/setup-node@"));
      expect(checkout).toBe(0);
      expect(node).toBeGreaterThan(checkout);
      expect(String(job.steps[node]?.with?.["node-version"])).toBe("20");
      expect(indexOf(/^npm ci\b/)).toBeGreaterThan(node);
      expect(indexOf(/npm run build/)).toBeGreaterThanOrEqual(indexOf(/^npm ci\b/));
    });

    it(`brings up only ${databaseName(db)} with docker compose, after npm ci`, async () => {
      const { runs, indexOf } = await load();
      const up = indexOf(/docker compose up/);
      expect(runs[up]).toBe(`docker compose up -d --build --wait ${databaseName(db)}`);
      expect(up).toBeGreaterThan(indexOf(/^npm ci\b/));
    });

    it(`loads ${db} only, with the ${mode} script, once the database is up`, async () => {
      const { runs, indexOf } = await load();
      const loadStep = indexOf(/scripts\/load_tweets_/);
      expect(runs[loadStep]).toBe(`sh scripts/load_tweets_${mode}.sh ${db}`);
      expect(loadStep).toBeGreaterThan(indexOf(/docker compose up/));
      await access(projectPath("scripts", `load_tweets_${mode}.sh`));
      expect(runs.filter((run) => run.includes("scripts/load_tweets_"))).toHaveLength(1);
    });

    it.runIf(mode === "parallel")("installs GNU parallel before loading", async () => {
      const { indexOf } = await load();
      const install = indexOf(/apt-get install .*\bparallel\b/);
      expect(install).toBeGreaterThan(-1);
      expect(install).toBeLessThan(indexOf(/scripts\/load_tweets_/));
    });

    it(`checks the answers of ${databaseName(db)} with check-answers.sh after loading`, async () => {
      const { runs, indexOf } = await load();
      const check = indexOf(/check-answers\.sh/);
      expect(runs[check]).toBe(`./check-answers.sh "$${targetEnvName(db)}"`);
      expect(check).toBeGreaterThan(indexOf(/scripts\/load_tweets_/));
      // check-answers.sh runs psql; ask for the client rather than trust the runner image.
      const psql = indexOf(/apt-get install .*\bpostgresql-client\b/);
      expect(psql).toBeGreaterThan(-1);
      expect(psql).toBeLessThan(check);
      await access(projectPath("check-answers.sh"), constants.X_OK);
    });

    it("names the databases by the URLs docker-compose.yml publishes", async () => {
      const { job } = await load();
      for (const kind of DB_KINDS) {
        const url = job.env?.[targetEnvName(kind)];
        expect(url, targetEnvName(kind)).toBeDefined();
        expect(new URL(url ?? "").href).toBe((await composeUrl(kind)).href);
      }
    });

    it("stops the containers whatever happened", async () => {
      const { job } = await load();
      const last = job.steps.at(-1);
      expect(last?.if).toBe("always()");
      expect(last?.run).toMatch(/^docker compose down\b/);
    });
  });
});
