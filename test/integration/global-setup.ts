import type { TestProject } from "vitest/node";
import { withClient } from "../../src/db/client.js";
import { DB_KINDS, type DbKind } from "../../src/db/kinds.js";
import { applySchema, detectGeoMode } from "../../src/db/schema.js";
import { redactUrl } from "../../src/db/targets.js";
import type { GeoMode } from "../../src/transform/geo.js";
import { dropDatabasesWithPrefix, runPrefix, templateName } from "./helpers/names.js";
import { startTestServer } from "./helpers/test-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the run's server (database `postgres`). */
    tweetloadAdminUrl: string;
    /** Unique per run: prefixes every database the run creates. */
    tweetloadRunId: string;
    tweetloadGeoModes: Record<DbKind, GeoMode>;
  }
}

/**
 * Starts one PostgreSQL server for the integration project and builds one
 * template database per schema; tests clone them (helpers/database.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer();
  const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-5)}`;
  console.log(
    `[tweetload tests] PostgreSQL: ${server.description} — ${redactUrl(server.adminUrl)}`,
  );
  const teardown = async () => {
    try {
      await withClient(server.adminUrl, (admin) =>
        dropDatabasesWithPrefix(admin, runPrefix(runId)),
      );
    } finally {
      await server.stop();
    }
  };
  try {
    const geoModes = {} as Record<DbKind, GeoMode>;
    await withClient(server.adminUrl, async (admin) => {
      for (const kind of DB_KINDS) {
        const name = templateName(runId, kind);
        await admin.query(`CREATE DATABASE ${name}`);
        await withClient(databaseUrl(server.adminUrl, name), async (client) => {
          await applySchema(client, kind);
          geoModes[kind] = await detectGeoMode(client);
        });
        await admin.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      }
    });
    console.log(`[tweetload tests] geo mode: ${[...new Set(Object.values(geoModes))].join(", ")}`);
    project.provide("tweetloadAdminUrl", server.adminUrl);
    project.provide("tweetloadRunId", runId);
    project.provide("tweetloadGeoModes", geoModes);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
