/**
 * The one registry of hash domain tags: every `domain` used for domain-separated SHA-256
 * (`H(domain, value)`, the WAL MAC, receipt ids) and every `domain` member of a record kept in the
 * content-addressed store is declared here, once, and imported by its users.
 *
 * A tag is part of every hash computed under it: changing one makes every stored hash, record and
 * home written before unreadable. The table is pinned by a golden test (test/hash-domains.test.ts);
 * add new tags, never edit or reuse an old one. Pure data, no imports: browser code may use it
 * through `@clearance/protocol/portable`.
 */
export const HASH_DOMAINS = Object.freeze({
  // Audit log (CC-TS §4.2.11) and its signed checkpoints.
  AUDIT_EVENT: 'cabincrew.audit-event.v1',
  AUDIT_EVENT_ID: 'cabincrew.audit-event-id.v1',
  AUDIT_CHECKPOINT: 'clearance.audit-checkpoint.v1',
  // WAL entries (§4.2.9) and the WAL key's creation event.
  WAL_ENTRY: 'cabincrew.wal-entry.v1',
  WAL_KEY_CREATED: 'clearance.wal-key-created.v1',
  // Plan-tokens and artifacts (§4.2.3–§4.2.6).
  ARTIFACT: 'cabincrew.artifact.v1',
  ARTIFACT_META: 'cabincrew.artifact-meta.v1',
  ARTIFACT_SET: 'clearance.artifact-set.v1',
  WORKSPACE: 'cabincrew.workspace.v1',
  INPUT: 'cabincrew.input.v1',
  PLAN_TOKEN: 'cabincrew.plan-token.v1',
  PLAN_TOKEN_HASH: 'cabincrew.plan-token-hash.v1',
  // Approvals (§4.2.7 binding) and approval requests.
  APPROVAL_BINDING: 'cabincrew.approval.v1',
  APPROVAL_REQUEST: 'clearance.approval-request.v1',
  // The orchestrator's records and derived ids.
  WORKFLOW_REQUEST: 'clearance.workflow-request.v1',
  PLAN_RECORD: 'clearance.plan-record.v1',
  ENGINE_RECEIPT: 'clearance.engine-receipt.v1',
  PREFLIGHT_OUTCOME: 'clearance.preflight-outcome.v1',
  EVALUATION_ID: 'clearance.evaluation-id.v1',
  SECRET_SCAN: 'clearance.secret-scan.v1',
  SPOOL_QUARANTINE: 'clearance.spool-quarantine.v1',
  // Runs.
  RUN_ARTIFACT: 'clearance.run-artifact.v1',
  RUN_ID: 'clearance.run-id.v1',
  RUN_REQUEST: 'clearance.run-request.v1',
  // Configuration, users and engine publication.
  CONFIG: 'clearance.config.v1',
  USER_TOKEN: 'clearance.user-token.v1',
  ENGINE_PUBLICATION: 'clearance.engine-publication.v1',
  // Built-in engines' receipt ids.
  CNC_ENGINE_RECEIPT: 'clearance.cnc.receipt.v1',
  PATCH_ENGINE_RECEIPT: 'clearance.patch.receipt.v1',
  // Governance.
  POLICY_DIGEST: 'clearance.policy-digest.v1',
  POLICY_RULES: 'clearance.policy-rules.v1',
  // CNC jobs, feasibility and release.
  CNC_JOB: 'clearance.cnc-job.v1',
  CNC_REQUEST: 'clearance.cnc-request.v1',
  CNC_TOOLPATHS: 'clearance.cnc-toolpaths.v1',
  CNC_FEASIBILITY: 'clearance.feasibility.v1',
  CNC_FEASIBILITY_SOURCE: 'clearance.cnc-feasibility-source.v1',
  CNC_RELEASE: 'clearance.cnc-release.v1',
  CNC_RELEASE_INTENT: 'clearance.cnc-release-intent.v1',
} as const);

/** The registry's names. */
export type HashDomainName = keyof typeof HASH_DOMAINS;

/** One registered hash domain tag. */
export type HashDomain = (typeof HASH_DOMAINS)[HashDomainName];
