import type { SqlClient } from "./client.js";

/**
 * Exact `count(*)` of each table the schema made in `public` (an extension's own tables,
 * such as PostGIS's spatial_ref_sys, left out), by name; with `views`, the materialized
 * views too, a never-refreshed one as NaN (it cannot be read yet).
 */
export async function countRows(
  client: SqlClient,
  options: { views: boolean },
): Promise<Record<string, number>> {
  const kinds = options.views ? ["r", "p", "m"] : ["r", "p"];
  const relations = await client.query<{ name: string }>(
    `SELECT format('%I', c.relname) AS name
       FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind::text = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
                         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY c.relname`,
    [kinds],
  );
  const counts: Record<string, number> = {};
  for (const { name } of relations.rows) {
    const { rows } = await client
      .query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`)
      .catch(() => ({ rows: [{ n: "NaN" }] }));
    counts[name] = Number(rows[0]?.n);
  }
  return counts;
}
