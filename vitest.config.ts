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
