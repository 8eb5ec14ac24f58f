/** Types of coverage-lib.mjs (used by coverage.test.ts; scripts/requirements.mjs imports the .mjs). */
export interface Requirement {
  readonly id: string;
  readonly level: 'MUST' | 'SHOULD' | 'MAY';
  readonly level_text: string;
  readonly text: string;
  readonly source: string;
}
export interface UncoveredEntry {
  readonly issue: string;
  readonly why: string;
}
export interface CoverageRow extends Requirement {
  readonly files: readonly string[];
}
export declare const ROOT: string;
export declare function citedIds(text: string): Set<string>;
export declare function listTestFiles(root?: string): string[];
export declare function loadRequirements(root?: string): Requirement[];
export declare function loadUncovered(root?: string): Record<string, UncoveredEntry>;
export declare function coverage(root?: string): CoverageRow[];
