import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { projectPath } from "../../../src/paths.js";

interface Service {
  image?: string;
  build?: unknown;
  profiles?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  entrypoint?: string[];
  healthcheck?: { test: string[] };
}

const compose = async () =>
  parse(await readFile(projectPath("docker-compose.yml"), "utf8"), { merge: true }) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };

/** The host-side file of a bind mount `./path:/in/container[:ro]`. */
const mountedFile = (volume: string) => volume.split(":")[0] as string;

describe("docker-compose.yml, profile citus", () => {
  it("has a coordinator and two workers of the public citusdata/citus image, only in the profile", async () => {
    const { services } = await compose();
    const nodes = Object.entries(services).filter(([, s]) => s.profiles?.includes("citus"));
    expect(nodes.map(([name]) => name).sort()).toEqual([
      "citus_coordinator",
      "citus_setup",
      "citus_worker1",
      "citus_worker2",
    ]);
    for (const [, service] of nodes) {
      expect(service.image).toMatch(/^citusdata\/citus:13\.\d+/);
      expect(service.build).toBeUndefined();
    }
    // The plain databases stay outside the profile: `docker compose up` starts only them.
    for (const name of ["pg_denormalized", "pg_normalized", "pg_normalized_batch"]) {
      expect(services[name]?.profiles).toBeUndefined();
    }
  });

  it("publishes only the coordinator, on this machine, and keeps each node's data in a volume", async () => {
    const { services, volumes } = await compose();
    // As compose reads `${VAR:-default}` with the variables unset.
    const ports = services.citus_coordinator?.ports?.map((p) =>
      p.replace(/\$\{\w+:-([^}]*)\}/g, (_all, fallback: string) => fallback),
    );
    expect(ports).toEqual(["127.0.0.1:5440:5432"]);
    for (const name of ["citus_worker1", "citus_worker2"]) {
      expect(services[name]?.ports).toBeUndefined();
    }
    for (const name of ["citus_coordinator", "citus_worker1", "citus_worker2"]) {
      expect(services[name]?.volumes).toContain(`${name}:/var/lib/postgresql/data`);
      expect(volumes).toHaveProperty(name);
      expect(services[name]?.healthcheck?.test.join(" ")).toMatch(/pg_isready/);
    }
  });

  it("creates the three databases with the extension on every node", async () => {
    const { services } = await compose();
    for (const name of ["citus_coordinator", "citus_worker1", "citus_worker2"]) {
      const init = services[name]?.volumes?.find((v) => v.includes("/docker-entrypoint-initdb.d/"));
      expect(init).toBeDefined();
      const sql = await readFile(projectPath(mountedFile(init as string)), "utf8");
      for (const db of ["pg_denormalized", "pg_normalized", "pg_normalized_batch"]) {
        expect(sql).toMatch(new RegExp(`CREATE DATABASE ${db};`));
        expect(sql).toMatch(new RegExp(`\\\\c ${db}\\nCREATE EXTENSION IF NOT EXISTS citus;`));
      }
    }
  });

  it("registers both workers in each database after every node is healthy", async () => {
    const { services } = await compose();
    const setup = services.citus_setup as Service;
    expect(Object.keys(setup.depends_on ?? {}).sort()).toEqual([
      "citus_coordinator",
      "citus_worker1",
      "citus_worker2",
    ]);
    for (const dep of Object.values(setup.depends_on ?? {})) {
      expect(dep.condition).toBe("service_healthy");
    }
    expect(setup.environment?.CITUS_WORKERS?.split(" ")).toEqual([
      "citus_worker1",
      "citus_worker2",
    ]);
    const script = setup.volumes?.find((v) => v.endsWith(":/register-workers.sh:ro"));
    expect(setup.entrypoint).toEqual(["sh", "/register-workers.sh"]);
    const text = await readFile(projectPath(mountedFile(script as string)), "utf8");
    expect(text).toMatch(/for db in pg_denormalized pg_normalized pg_normalized_batch/);
    expect(text).toMatch(/citus_add_node\('\$worker', 5432\)/);
  });
});
