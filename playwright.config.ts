import { defineConfig } from '@playwright/test';

/**
 * Where `vite preview` serves the built app during e2e tests (the fake model server picks its
 * own port). PARLEY_APP_PORT and PARLEY_DIST let two people run e2e side by side on one
 * machine, each on their own build: `npx vite build --outDir /tmp/a && PARLEY_DIST=/tmp/a PARLEY_APP_PORT=4401 npx playwright test`.
 */
export const APP_PORT = Number(process.env.PARLEY_APP_PORT ?? 4317);
const DIST = process.env.PARLEY_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One file at a time: on two cores, two workers were no faster (17.7 vs 16.1 min) and made
  // timing-sensitive tests flaky. PARLEY_E2E_WORKERS=2 on a bigger machine.
  workers: Number(process.env.PARLEY_E2E_WORKERS ?? 1),
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: process.env.PARLEY_E2E_REPORT ?? 'reports/e2e.json' }]],
  // Each run empties its output folder first: side-by-side runs need their own (PARLEY_TEST_RESULTS).
  outputDir: process.env.PARLEY_TEST_RESULTS ?? 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    // Recording a trace costs every action a DOM snapshot: 'retain-on-failure' made chat+appearance
    // take 120 s instead of 92 s. CI retries a failed test once, with a trace; locally use --trace on.
    trace: 'on-first-retry',
  },
  projects: [
    { name: 'chromium', testIgnore: /local-ollama\.spec\.ts/ },
    // Every app start probes 127.0.0.1:11434 for an Ollama; the tests that fake one there run
    // alone, after all the others (so more workers cannot make another test's app find it).
    // Running only them: `npx playwright test e2e/local-ollama.spec.ts --no-deps`.
    { name: 'local-ollama', testMatch: /local-ollama\.spec\.ts/, dependencies: ['chromium'] },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${APP_PORT} --strictPort --outDir ${DIST}`,
    url: `http://127.0.0.1:${APP_PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
