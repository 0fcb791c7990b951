/**
 * Standalone fake-llm:
 *   tsx e2e/fake-llm/cli.ts [--port 4318] [--ttl 1800] [--fixtures DIR] [--exit-with-stdin]
 * Prints "fake-llm listening on http://127.0.0.1:PORT" once ready. Exits by itself after --ttl
 * seconds, on SIGINT/SIGTERM, and (with --exit-with-stdin) when stdin closes.
 */

import { startFakeLlm } from './server';

interface CliOptions {
  port: number;
  ttlSeconds: number;
  fixturesDir: string | undefined;
  exitWithStdin: boolean;
}

function usage(msg: string): never {
  process.stderr.write(`fake-llm: ${msg}\nusage: tsx e2e/fake-llm/cli.ts [--port N] [--ttl SECONDS] [--fixtures DIR] [--exit-with-stdin]\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = { port: 4318, ttlSeconds: 1800, fixturesDir: undefined, exitWithStdin: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(`${name} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) usage(`${name} must be a non-negative number`);
      return v;
    };
    switch (name) {
      case '--port':
        o.port = Math.floor(num());
        break;
      case '--ttl':
        o.ttlSeconds = num();
        break;
      case '--fixtures':
        o.fixturesDir = value();
        break;
      case '--exit-with-stdin':
        o.exitWithStdin = true;
        break;
      case '--help':
      case '-h':
        usage('help');
        break;
      default:
        usage(`unknown argument ${arg}`);
    }
  }
  return o;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const llm = await startFakeLlm({ port: o.port, fixturesDir: o.fixturesDir, ttlMs: o.ttlSeconds * 1000 });
  let exiting = false;
  const exit = (why: string, code = 0): void => {
    if (exiting) return;
    exiting = true;
    process.stderr.write(`fake-llm: exiting (${why})\n`);
    const force = setTimeout(() => process.exit(code), 2000);
    force.unref();
    void llm.close().then(() => process.exit(code));
  };
  // The ttl inside startFakeLlm closes the server; exit the process at the same moment.
  const ttl = setTimeout(() => exit('ttl'), o.ttlSeconds * 1000);
  ttl.unref();
  process.on('SIGINT', () => exit('SIGINT'));
  process.on('SIGTERM', () => exit('SIGTERM'));
  if (o.exitWithStdin) {
    process.stdin.on('end', () => exit('stdin closed'));
    process.stdin.on('close', () => exit('stdin closed'));
    process.stdin.on('error', () => exit('stdin error'));
    process.stdin.resume();
  }
  process.stdout.write(`fake-llm listening on ${llm.url}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`fake-llm: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
