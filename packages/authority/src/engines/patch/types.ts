/** Shapes shared by the patch engine's parser, planner and applier. */

/** The only file modes the engine accepts: a regular file, executable or not (git notation). */
export type GitMode = '100644' | '100755';

/** What a file change does to its target. */
export type ChangeAction = 'create' | 'modify' | 'delete';

/** One body line of a hunk: context (' '), removed ('-') or added ('+'). */
export type HunkLine = {
  readonly kind: ' ' | '-' | '+';
  /** The line's bytes as text, with its '\n' unless a "\ No newline at end of file" follows. */
  readonly text: string;
};

/** One `@@ -oldStart,oldCount +newStart,newCount @@` hunk, exactly as the header states it. */
export type Hunk = {
  readonly oldStart: number;
  readonly oldCount: number;
  readonly newStart: number;
  readonly newCount: number;
  readonly lines: readonly HunkLine[];
};

/** The change to one file, as parsed from its section of the unified diff. */
export type FilePatch = {
  /** Workspace-relative POSIX path, already checked by the path policy. */
  readonly path: string;
  readonly action: ChangeAction;
  /** Mode the patch claims the file has now (null when the patch does not say). */
  readonly oldMode: GitMode | null;
  /** Mode the patch gives the file (null when the patch does not say). */
  readonly newMode: GitMode | null;
  readonly hunks: readonly Hunk[];
  readonly additions: number;
  readonly deletions: number;
  /** This file's section of the patch, byte-exact (it becomes the artifact body). */
  readonly section: string;
};

/** Size limits of one run (from EngineInput.config, clamped to hard maxima). */
export type Limits = {
  readonly maxPatchBytes: number;
  readonly maxFileBytes: number;
};

/** A file change checked against the workspace, with its resulting content computed. */
export type EvaluatedChange = {
  readonly patch: FilePatch;
  readonly oldSha256: string | null;
  readonly newSha256: string | null;
  readonly oldMode: GitMode | null;
  readonly newMode: GitMode | null;
  /** The file's content after the change; null for a delete. */
  readonly newContent: Buffer | null;
};
