import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

export default defineConfig({
  plugins: [solid()],
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'workers/**/*.test.ts', 'e2e/fake-llm/**/*.test.ts', 'e2e/webgpu-fake/**/*.test.ts', 'e2e/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
