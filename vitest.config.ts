import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Generous: end-to-end tests run the CLI, bubblewrap, git and Python on a loaded 2-core machine. A bound
    // against hanging, not a measurement (speed is measured in bench/).
    testTimeout: 240_000,
    hookTimeout: 60_000,
    setupFiles: ["test/helpers/setup.ts"],
    // End-to-end tests spawn the built CLI and local servers; keep the pool small on 2-core machines.
    maxWorkers: 2,
  },
});
