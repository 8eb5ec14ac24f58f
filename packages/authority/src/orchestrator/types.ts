/** What callers give the orchestrator and what they get back (the facade's own types). */
import type { JsonObject, State, WorkflowStateRecord } from '@clearance/protocol';
import type { PendingApproval } from '../workflow/reducer.js';

/** A signed-in principal, as the edge authenticated it. */
export interface Principal {
  readonly name: string;
  readonly roles: readonly string[];
}

/** A proposal: which engine, which configured workspace, what input. */
export interface Proposal {
  readonly engine: string;
  readonly workspace: string;
  readonly config: JsonObject;
  readonly context: JsonObject;
  /** Engine secrets this workflow needs, by name (each must be mapped for the engine). */
  readonly allowedSecrets?: readonly string[];
  /** Authority fields the edge removed from the client's input (recorded, never used). */
  readonly stripped: readonly string[];
}

/** What callers see of a workflow. */
export interface WorkflowDetails {
  readonly workflow_id: string;
  readonly state: State;
  readonly engine: string;
  readonly workspace: string;
  readonly proposer: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly plan_token_hash: string;
  readonly last_decision?: string;
  readonly pending_approvals: readonly PendingApproval[];
  readonly failure?: string;
  readonly halted?: string;
  readonly record: WorkflowStateRecord;
}
