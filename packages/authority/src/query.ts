/**
 * The authority's read-only query API: exactly the reads the front ends (the server, later the
 * gateways) need — audit events, proofs and checkpoints, blobs by address, run artifacts, artifact
 * sets, users for authentication, read authorisation — returning plain data. The stores stay
 * inside the authority: a front end never holds the audit log, the CAS or the run store itself.
 */
import type { AuditCheckpoint, AuditEvent } from '@clearance/protocol';
import type { InclusionProofResult } from './audit/log.js';
import type { ClearanceHome } from './home.js';
import { loadArtifactSet, type ArtifactSet } from './plan/index.js';
import { blobReferences, type BlobReferences, type ReadSources } from './read-access.js';
import type { RunArtifact, RunArtifactStore, RunIndexEntry } from './runs/run-artifacts.js';
import type { User } from './users.js';

/** An RFC 6962 consistency proof between two tree sizes, with both roots. */
export interface ConsistencyAnswer {
  readonly from: number;
  readonly to: number;
  readonly from_root: string;
  readonly to_root: string;
  readonly proof: readonly string[];
}

/** Read-only questions a front end may ask the authority. */
export interface AuthorityQueries {
  /** The home directory (for host-path filtering and the offline verifier's worker). */
  readonly homeDir: string;
  /** Number of events in the audit log now. */
  auditSize(): number;
  /** Up to `limit` audit events from index `from`. */
  auditEvents(from: number, limit: number): Promise<AuditEvent[]>;
  /** Signed checkpoints, oldest first. */
  auditCheckpoints(): readonly AuditCheckpoint[];
  /** Inclusion proof of event `index` in the tree of `treeSize` events (default: the whole log). */
  inclusionProof(index: number, treeSize?: number): InclusionProofResult;
  /** Consistency proof from tree size `from` to `to` (AUDIT_INDEX_OUT_OF_RANGE unless 1 ≤ from ≤ to ≤ size). */
  consistency(from: number, to: number): ConsistencyAnswer;
  /** A stored blob, re-verified by address (CAS_NOT_FOUND, CAS_ADDRESS_INVALID). */
  blob(address: string): Promise<Buffer>;
  /** A stored artifact set, re-verified and parsed strictly. */
  artifactSet(address: string): Promise<ArtifactSet>;
  /** Run artifact index entries, oldest first (optionally of one workflow). */
  runs(workflowId?: string): readonly RunIndexEntry[];
  /** One run artifact, re-verified by address (NOT_FOUND). */
  run(runId: string): Promise<RunArtifact>;
  /** The user holding `token`, if any. */
  authenticate(token: string): User | undefined;
  /** A user by name. */
  user(name: string): User | undefined;
  /** Who may read which workflow, run and blob. */
  readAccess(): BlobReferences;
}

/** Where the queries read from (the parts of an open authority). */
export interface QuerySources extends ReadSources {
  readonly home: ClearanceHome;
  readonly runs: RunArtifactStore;
}

/** The query API over an open authority's stores. */
export function authorityQueries(sources: QuerySources): AuthorityQueries {
  const { home, runs } = sources;
  const audit = home.audit;
  return {
    homeDir: home.dir,
    auditSize: () => audit.size,
    auditEvents: (from, limit) => audit.read(from, limit),
    // Copies: the log's own list (and its checkpoint objects) stay out of a front end's reach.
    auditCheckpoints: () => Object.freeze(audit.checkpoints.map((c) => Object.freeze({ ...c }))),
    inclusionProof: (index, treeSize = audit.size) => audit.inclusionProof(index, treeSize),
    consistency: (from, to) => {
      const proof = audit.consistencyProof(from, to);
      return { from, to, from_root: audit.rootAt(from), to_root: audit.rootAt(to), proof };
    },
    blob: (address) => home.cas.get(address),
    artifactSet: (address) => loadArtifactSet(home.cas, address),
    runs: (workflowId) => runs.list(workflowId === undefined ? {} : { workflowId }),
    run: (runId) => runs.get(runId),
    authenticate: (token) => home.users.authenticate(token),
    user: (name) => home.users.get(name),
    readAccess: () => blobReferences(sources),
  };
}
