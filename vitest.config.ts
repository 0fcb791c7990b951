import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

export default defineConfig({
  plugins: [solid()],
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'workers/**/*.test.ts', 'e2e/fake-llm/**/*.test.ts', 'e2e/webgpu-fake/**/*.test.ts', 'e2e/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 20_000,
    // Worker threads start faster than the default child processes: 88 s instead of 138 s for the
    // suite on the 2-core CI machine (every file still runs in its own module scope).
    pool: 'threads',
  },
});
