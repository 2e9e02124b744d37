import { defineConfig } from "vitest/config";

// The soak test (test/soak) runs for minutes to hours: only when TWEETLOAD_SOAK is set.
const soak = process.env.TWEETLOAD_SOAK
  ? [
      {
        test: {
          name: "soak",
          include: ["test/soak/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 14_400_000,
          hookTimeout: 3_600_000,
        },
      },
    ]
  : [];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
        },
      },
      // The opt-in Citus suite: only when asked for by path (`npx vitest run test/citus`);
      // without TWEETLOAD_CITUS_URL it is skipped with a notice. Never in a plain `npm test`.
      ...(process.argv.some((arg) => arg.replace(/\\/g, "/").includes("test/citus"))
        ? [
            {
              test: {
                name: "citus",
                include: ["test/citus/**/*.test.ts"],
                testTimeout: 600_000,
                hookTimeout: 180_000,
              },
            },
          ]
        : []),
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      ...soak,
    ],
  },
});
