import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  // as tsconfig.json's paths: tests import the package by name and run on the sources, not on dist/
  resolve: {
    alias: [
      { find: /^toolweave$/, replacement: source("./index.ts") },
      { find: /^toolweave\/compiler$/, replacement: source("./compiler/index.ts") },
      { find: /^toolweave\/distributed$/, replacement: source("./adapters/redis/index.ts") },
      { find: /^toolweave\/mcp$/, replacement: source("./adapters/mcp/index.ts") },
      { find: /^toolweave\/esbuild$/, replacement: source("./compiler/bundler/esbuild-plugin.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
  },
});
