/**
 * The process entry every built-in engine shares (`node <engine>.mjs --mode <mode>`): read
 * EngineInput from stdin (refusing anything far beyond the engine's limit unread), run the engine
 * as a function, write the one receipt line to stdout and logs to stderr, set the exit code.
 * Nothing else may reach stdout (ENG-11). Uses node: builtins only (bundled into each engine).
 */

/** What an engine function returns for one run. */
export interface EngineRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly log: readonly string[];
}

/** An engine as a function of stdin bytes, argv and environment. */
export type EngineFunction = (
  stdin: Uint8Array,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
) => EngineRun;

async function readStdin(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'utf8');
    total += bytes.length;
    if (total > maxBytes) throw new Error('stdin exceeds the limit');
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Run `engine` as this process; resolves to the exit code. */
export async function runEngineProcess(
  engine: EngineFunction,
  maxStdinBytes: number,
): Promise<number> {
  let stdin: Buffer;
  try {
    stdin = await readStdin(maxStdinBytes);
  } catch {
    stdin = Buffer.alloc(0); // refused by the engine as malformed input, with a proper receipt
  }
  const result = engine(stdin, process.argv.slice(2), process.env);
  for (const line of result.log) process.stderr.write(`${line}\n`);
  process.stdout.write(result.stdout);
  return result.exitCode;
}
