/**
 * Standalone CouchDB-protocol test server (in memory):
 *   tsx e2e/couch-server/cli.ts [--port 5984] [--ttl 1800] [--user NAME --password SECRET]
 * Prints "couch-server listening on http://127.0.0.1:PORT" once ready. Exits by itself after
 * --ttl seconds, on SIGINT/SIGTERM, and when stdin closes if --exit-with-stdin is given.
 */

import { startCouchServer } from './server';

interface CliOptions {
  port: number;
  ttlSeconds: number;
  user: string | undefined;
  password: string | undefined;
  exitWithStdin: boolean;
}

function usage(msg: string): never {
  process.stderr.write(`couch-server: ${msg}\nusage: tsx e2e/couch-server/cli.ts [--port N] [--ttl SECONDS] [--user NAME --password SECRET] [--exit-with-stdin]\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = { port: 5984, ttlSeconds: 1800, user: undefined, password: undefined, exitWithStdin: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const [name, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
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
      case '--user':
        o.user = value();
        break;
      case '--password':
        o.password = value();
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
  if ((o.user === undefined) !== (o.password === undefined)) usage('--user and --password go together');
  return o;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const auth = o.user !== undefined && o.password !== undefined ? { user: o.user, password: o.password } : undefined;
  const couch = await startCouchServer({ port: o.port, auth, ttlMs: o.ttlSeconds * 1000 });
  let exiting = false;
  const exit = (why: string): void => {
    if (exiting) return;
    exiting = true;
    process.stderr.write(`couch-server: exiting (${why})\n`);
    const force = setTimeout(() => process.exit(0), 2000);
    force.unref();
    void couch.close().then(() => process.exit(0));
  };
  const ttl = setTimeout(() => exit('ttl'), o.ttlSeconds * 1000);
  ttl.unref();
  process.on('SIGINT', () => exit('SIGINT'));
  process.on('SIGTERM', () => exit('SIGTERM'));
  if (o.exitWithStdin) {
    process.stdin.on('end', () => exit('stdin closed'));
    process.stdin.on('close', () => exit('stdin closed'));
    process.stdin.resume();
  }
  process.stdout.write(`couch-server listening on ${couch.url}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`couch-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
