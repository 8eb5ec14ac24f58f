import { createRequire } from 'node:module';

import { describe, expect, it } from 'vitest';

import { postProcess } from '../../src/gcode/index.js';
import { CIRCLE, CUTTING, program } from './fixtures.js';

interface ParsedLine {
  readonly words: readonly (readonly [string, number])[];
}

// gcode-parser (cncjs) is CommonJS without types: an independent reading of our output.
const gcodeParser = createRequire(import.meta.url)('gcode-parser') as {
  parseStringSync(text: string): ParsedLine[];
};

describe('independent parse with gcode-parser', () => {
  it('the deepest Z of a circular pocket equals -final_depth', () => {
    const text = postProcess(program(CIRCLE), 'grbl');
    const zs = gcodeParser
      .parseStringSync(text)
      .flatMap(({ words }) => words.filter(([l]) => l === 'Z').map(([, v]) => v));
    expect(zs.length).toBeGreaterThan(10);
    expect(Math.min(...zs)).toBe(-CUTTING.final_depth);
    expect(Math.max(...zs)).toBe(CUTTING.safe_z);
  });
});
