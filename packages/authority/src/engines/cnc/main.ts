/**
 * Process entry of the bundled cnc engine (`node cnc.mjs --mode <mode>`): read EngineInput
 * from stdin, run, write the receipt line to stdout and logs to stderr, set the exit code. Nothing
 * else may reach stdout (ENG-11). Not imported by anything; tests use engine.ts.
 */
import { runEngine } from './engine.js';

/** EngineInput can carry a 16 MiB DXF, JSON-escaped; anything far beyond is refused unread. */
const MAX_STDIN_BYTES = 128 * 1024 * 1024;

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'utf8');
    total += bytes.length;
    if (total > MAX_STDIN_BYTES) throw new Error('stdin exceeds the limit');
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

async function main(): Promise<number> {
  let stdin: Buffer;
  try {
    stdin = await readStdin();
  } catch {
    stdin = Buffer.alloc(0); // refused below as malformed input, with a proper receipt
  }
  const result = runEngine(stdin, process.argv.slice(2), process.env);
  for (const line of result.log) process.stderr.write(`${line}\n`);
  process.stdout.write(result.stdout);
  return result.exitCode;
}

process.exitCode = await main();
