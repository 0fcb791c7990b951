// The README's test command: type-check, unit tests, production build, end-to-end tests in
// Chromium. Ends with one plain line "N passed, N failed" summed over unit and e2e tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

mkdirSync('reports', { recursive: true });
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: false }).status ?? 1;
const npx = (...args) => run('npx', ['--no-install', ...args]);

let failedStep = '';
if (npx('tsc', '--noEmit') !== 0) failedStep ||= 'type-check';
const unitCode = npx('vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=reports/unit.json');
if (unitCode !== 0) failedStep ||= 'unit tests';
const buildCode = npx('vite', 'build', '--logLevel', 'warn');
if (buildCode !== 0) failedStep ||= 'build';
const e2eCode = buildCode === 0 ? npx('playwright', 'test') : 1;
if (e2eCode !== 0) failedStep ||= 'e2e tests';

const readJson = (p) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null);
const unit = readJson('reports/unit.json');
const e2e = readJson('reports/e2e.json');
const passed = (unit?.numPassedTests ?? 0) + (e2e?.stats?.expected ?? 0) + (e2e?.stats?.flaky ?? 0);
const failed = (unit?.numFailedTests ?? 0) + (e2e?.stats?.unexpected ?? 0) + (failedStep && !unit?.numFailedTests && !e2e?.stats?.unexpected ? 1 : 0);
const skipped = (unit?.numPendingTests ?? 0) + (e2e?.stats?.skipped ?? 0);
if (failedStep) console.log(`\nFailed step: ${failedStep}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failedStep ? 1 : 0);
