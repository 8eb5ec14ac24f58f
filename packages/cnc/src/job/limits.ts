/** Size limits of a job: bound the work an untrusted job can make the authority do. */
export const JOB_LIMITS = Object.freeze({
  operations: 1000,
  rings: 200,
  drill_points: 10_000,
  /** Per contour, and in total over the job (DXF loops included). */
  contour_points: 100_000,
  /** DXF text size in UTF-8 bytes (16 MiB). */
  dxf_bytes: 16 * 1024 * 1024,
  string_chars: 256,
});

/** Millimetres per inch. */
export const MM_PER_INCH = 25.4;

/** Top-level keys that carry a verdict; a client never supplies those (spec/rmos.md §11.3). */
export const CLIENT_VERDICT_KEYS: readonly string[] = Object.freeze([
  'feasibility',
  'safety',
  'decision',
  'risk_level',
  'score',
  'rules_triggered',
  'source',
]);
