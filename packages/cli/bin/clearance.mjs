#!/usr/bin/env node
// The `clearance` command. The CLI is compiled TypeScript; this shim only locates it.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'clearance: not built yet; run the README set-up (scripts/setup.sh) or `npm run build`\n',
  );
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
