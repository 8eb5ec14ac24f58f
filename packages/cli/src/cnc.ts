/**
 * Manufacturing commands that need no home: `clearance feasibility [FILE|-]` (the authority's own
 * feasibility computation, spec/rmos.md §3.2) and `clearance gcode validate FILE [--machine ID]`
 * (the validator every program passes before release). Both are read-only.
 */
import { readFile } from 'node:fs/promises';
import {
  DEFAULT_MACHINE_ID,
  explainFeasibility,
  feasibilityHash,
  machineProfile,
  renderValidation,
  safeEvaluate,
  validateGcode,
} from '@clearance/authority';
import { hasCode, parseJsonStrict } from '@clearance/protocol';
import { EXIT, json, type Io } from './output.js';

/** Largest input either command reads. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Read FILE, or standard input for `-` or no file. */
export async function readInput(
  file: string | undefined,
  stdin: () => Promise<Buffer>,
): Promise<string> {
  const bytes = file === undefined || file === '-' ? await stdin() : await readFile(file);
  if (bytes.length > MAX_INPUT_BYTES) throw new Error(`input exceeds ${MAX_INPUT_BYTES} bytes`);
  return bytes.toString('utf8');
}

async function processStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks);
}

/**
 * `clearance feasibility`: prints risk_level, blocking, rules_triggered, blocking_reasons, warnings,
 * constraints, engine_version and hash as JSON, plus the explanation of every triggered rule.
 * Exit 0 for GREEN/YELLOW, 1 for RED/ERROR/UNKNOWN (blocking), 2 for unreadable input.
 */
export async function feasibilityCommand(
  io: Io,
  file: string | undefined,
  stdin: () => Promise<Buffer> = processStdin,
): Promise<number> {
  const text = await readInput(file, stdin);
  // Strict JSON first (duplicate keys, lone surrogates…); anything wrong is a blocking outcome.
  let value: unknown;
  try {
    value = parseJsonStrict(text);
  } catch (err) {
    // Unreadable input is never GREEN: a blocking UNKNOWN with the parser's code.
    const code = hasCode(err) ? err.code : 'JSON_INVALID';
    const message = err instanceof Error ? err.message : 'input is not JSON';
    io.out(
      json({
        risk_level: 'UNKNOWN',
        blocking: true,
        rules_triggered: [],
        error: { code, message },
      }),
    );
    return EXIT.integrity;
  }
  const outcome = safeEvaluate(value);
  const { rules } = explainFeasibility(outcome);
  io.out(
    json({
      ...outcome,
      hash: feasibilityHash(outcome),
      explanations: rules,
    }),
  );
  return outcome.blocking ? EXIT.integrity : EXIT.ok;
}

/** `clearance gcode validate`: exit 0 when the program passes, 1 with the issues otherwise. */
export async function gcodeValidateCommand(
  io: Io,
  file: string,
  opts: { machine?: string; json?: boolean },
): Promise<number> {
  const machine = machineProfile(opts.machine ?? DEFAULT_MACHINE_ID);
  const text = await readInput(file, processStdin);
  const result = validateGcode(text, machine);
  io.out(
    opts.json === true
      ? json({ machine: machine.id, ...result })
      : renderValidation(result, machine),
  );
  return result.ok ? EXIT.ok : EXIT.integrity;
}
