import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { withClient } from "../../../src/db/client.js";
import { DB_KINDS, type DbKind, type Targets } from "../../../src/db/kinds.js";
import type { GeoMode } from "../../../src/transform/geo.js";
import { runPrefix, templateName } from "./names.js";

/** A new empty database with one schema applied, cloned from the run's template. */
export interface FreshDatabase {
  url: string;
  geoMode: GeoMode;
  /** Drops the database (disconnecting anyone still in it). Safe to call twice. */
  drop(): Promise<void>;
}

/** The superuser URL of the run's server, for tests that need to look around. */
export const adminUrl = (): string => inject("tweetloadAdminUrl");

/**
 * Clones the template of `kind` into a database no other test uses.
 * Call `drop()` in afterAll/afterEach; the run's teardown drops leftovers too.
 */
export async function freshDatabase(kind: DbKind): Promise<FreshDatabase> {
  const admin = adminUrl();
  const runId = inject("tweetloadRunId");
  const name = `${runPrefix(runId)}${kind}_${randomBytes(4).toString("hex")}`;
  await withClient(admin, async (client) => {
    // Cloning fails while another session is connected to the template; none should be,
    // but a clone that is just starting elsewhere can briefly look like one.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName(runId, kind)}"`);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
    // A clone does not get the template's own settings (ALTER DATABASE … SET, as the schema
    // of pg_denormalized makes): give them, so a clone is what applying the schema makes.
    await client.query(
      `DO $$ DECLARE s TEXT; BEGIN
         FOR s IN SELECT unnest(setconfig) FROM pg_db_role_setting AS r
           JOIN pg_database AS d ON d.oid = r.setdatabase
           WHERE d.datname = '${templateName(runId, kind)}' AND r.setrole = 0
         LOOP
           EXECUTE format('ALTER DATABASE %I SET %s = %L', '${name}',
             split_part(s, '=', 1), substr(s, strpos(s, '=') + 1));
         END LOOP;
       END $$`,
    );
  });
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    geoMode: inject("tweetloadGeoModes")[kind],
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withClient(admin, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

/** One fresh database of each kind, as the `Targets` a command takes. */
export async function freshTargets(): Promise<{ targets: Targets; drop(): Promise<void> }> {
  const databases = await Promise.all(DB_KINDS.map((kind) => freshDatabase(kind)));
  const targets = Object.fromEntries(
    DB_KINDS.map((kind, i) => [kind, databases[i]?.url]),
  ) as Targets;
  return {
    targets,
    drop: async () => {
      await Promise.all(databases.map((database) => database.drop()));
    },
  };
}

/** Fresh databases for one test file: `targets()` makes a set, `dropAll()` drops every one. */
export function targetsPool() {
  const drops: Array<() => Promise<void>> = [];
  return {
    async targets(): Promise<Targets> {
      const t = await freshTargets();
      drops.push(t.drop);
      return t.targets;
    },
    async dropAll(): Promise<void> {
      for (const drop of drops.splice(0)) await drop();
    },
  };
}

/** freshTargets' targets, their drop added to `cleanups` (run by the test file's afterAll). */
export async function targetsDroppedBy(cleanups: Array<() => Promise<void>>): Promise<Targets> {
  const t = await freshTargets();
  cleanups.push(t.drop);
  return t.targets;
}
