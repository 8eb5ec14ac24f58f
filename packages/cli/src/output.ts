/** Terminal output helpers: every command can print text for people or JSON for scripts. */

/** Where a command writes; injected so tests can capture output. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** The process's stdout and stderr. */
export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, integrity: 1, error: 2 } as const;

/** Pretty JSON for --json output. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
