/** Decoders of the workflow, artifact, run and approval answers: unknown JSON → checked types. */
import { STATES } from '@clearance/protocol/portable';
import {
  array,
  invalid,
  list,
  num,
  opt,
  optNum,
  optStr,
  record,
  str,
  strOrNull,
  strList,
} from './json.js';
import type {
  ApprovalResult,
  ArtifactListing,
  BlobRef,
  ListedArtifact,
  Me,
  PendingApproval,
  RunEntry,
  State,
  WorkflowDetails,
  WorkflowSummary,
} from './types.js';

/** Every workflow state: the protocol's STATES, through its browser-safe face. */
export const STATE_NAMES: readonly State[] = STATES;

function isState(value: unknown): value is State {
  return STATE_NAMES.some((s) => s === value);
}

/** GET /api/me. */
export function decodeMe(value: unknown): Me {
  const o = record(value, 'me');
  const keyRef = o['key_ref'];
  return {
    name: str(o, 'name'),
    roles: strList(o, 'roles'),
    ...(typeof keyRef === 'string' ? { key_ref: keyRef } : {}),
    // Older servers do not send it: no role requires signatures there.
    signature_required_roles:
      o['signature_required_roles'] === undefined ? [] : strList(o, 'signature_required_roles'),
  };
}

function decodePending(value: unknown): PendingApproval {
  const o = record(value, 'pending_approvals');
  return {
    approval_id: str(o, 'approval_id'),
    step_id: str(o, 'step_id'),
    required_role: str(o, 'required_role'),
    plan_token_hash: str(o, 'plan_token_hash'),
    requested_at: str(o, 'requested_at'),
    ...opt('sequence', optNum(o, 'sequence')),
  };
}

/** One workflow of a listing. */
export function decodeSummary(value: unknown): WorkflowSummary {
  const o = record(value, 'workflow');
  const state = o['state'];
  if (!isState(state)) return invalid('state');
  return {
    workflow_id: str(o, 'workflow_id'),
    state,
    engine: str(o, 'engine'),
    workspace: str(o, 'workspace'),
    proposer: str(o, 'proposer'),
    pending_approvals: list(o, 'pending_approvals', decodePending),
    ...opt('created_at', optStr(o, 'created_at')),
    ...opt('updated_at', optStr(o, 'updated_at')),
    ...opt('plan_token_hash', optStr(o, 'plan_token_hash')),
    ...opt('last_decision', optStr(o, 'last_decision')),
    ...opt('failure', optStr(o, 'failure')),
    ...opt('halted', optStr(o, 'halted')),
  };
}

/** One workflow in full. */
export function decodeDetails(value: unknown): WorkflowDetails {
  const o = record(value, 'workflow');
  return { ...decodeSummary(o), record: record(o['record'], 'record') };
}

/** GET /api/workflows. */
export function decodeWorkflowList(value: unknown): WorkflowSummary[] {
  return list(record(value, 'workflow list'), 'workflows', decodeSummary);
}

function decodeBlob(value: unknown): BlobRef {
  const o = record(value, 'blob');
  return { address: str(o, 'address'), size: num(o, 'size') };
}

function decodeArtifact(value: unknown): ListedArtifact {
  const o = record(value, 'artifact');
  const body = o['body'];
  return {
    artifact_id: str(o, 'artifact_id'),
    artifact_hash: str(o, 'artifact_hash'),
    artifact_type: str(o, 'artifact_type'),
    created_at: str(o, 'created_at'),
    ...opt('step_id', optStr(o, 'step_id')),
    ...opt('name', optStr(o, 'name')),
    ...opt('role', optStr(o, 'role')),
    ...opt('action', optStr(o, 'action')),
    ...opt('target', optStr(o, 'target')),
    ...opt('mime', optStr(o, 'mime')),
    ...opt('meta', o['meta'] === undefined ? undefined : decodeBlob(o['meta'])),
    ...opt('body', body === undefined ? undefined : body === null ? null : decodeBlob(body)),
  };
}

/** GET /api/workflows/{id}/artifacts. */
export function decodeArtifacts(value: unknown): ArtifactListing {
  const o = record(value, 'artifact listing');
  return {
    workflow_id: str(o, 'workflow_id'),
    plan_token_hash: str(o, 'plan_token_hash'),
    artifact_set: strOrNull(o, 'artifact_set'),
    artifacts: list(o, 'artifacts', decodeArtifact),
  };
}

/** An accepted approval submission. */
export function decodeApproval(value: unknown): ApprovalResult {
  const o = record(value, 'approval result');
  return {
    status: str(o, 'status'),
    run_id: str(o, 'run_id'),
    workflow_id: strOrNull(o, 'workflow_id'),
    state: strOrNull(o, 'state'),
    ...opt('reason', optStr(o, 'reason')),
  };
}

/** One run index entry. */
export function decodeRun(value: unknown): RunEntry {
  const o = record(value, 'run');
  return {
    run_id: str(o, 'run_id'),
    address: str(o, 'address'),
    kind: str(o, 'kind'),
    status: str(o, 'status'),
    workflow_id: strOrNull(o, 'workflow_id'),
    created_at: str(o, 'created_at'),
  };
}

/** GET /api/runs. */
export function decodeRunList(value: unknown): RunEntry[] {
  return array(record(value, 'run list')['runs'], 'runs').map(decodeRun);
}
