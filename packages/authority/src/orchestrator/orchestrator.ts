/**
 * The orchestrator: the root of trust of Clearance (ORCH-11). It is the only code that starts,
 * advances or ends a workflow. This file is the facade: it checks who may act (authorization.ts),
 * runs each operation on its workflow's queue (queue.ts), and hands the work to the phases. The
 * parts: the home's folders (home.ts), the open workflows (workflow-table.ts), which workflow an
 * approval id belongs to (approval-index.ts).
 *
 * Public operations: propose, approve, takeoff, replan, retry, and read access (get, list). On
 * open, every workflow is recovered (recovery.ts) before anything else can touch it.
 */
import {
  ClearanceError,
  hasCode,
  type JsonObject,
  type State,
  type WorkflowStateRecord,
} from '@clearance/protocol';
import { policyDigest, type PolicySource } from '@clearance/governance';
import { CncFeasibilitySource } from '../cnc/feasibility-source.js';
import { CNC_ENGINE_ID, requestedJob } from '../cnc/job.js';
import type { OverrideLookup } from '../cnc/overrides.js';
import type { ClearanceConfig, EngineRegistry } from '../config/index.js';
import type { ClearanceHome } from '../home.js';
import type { RunArtifactStore } from '../runs/run-artifacts.js';
import { authorize, may } from '../authorization.js';
import type { EngineSandbox } from '../sandbox/index.js';
import type { PendingApproval, WorkflowView } from '../workflow/reducer.js';
import { ApprovalIndex } from './approval-index.js';
import { submitApproval, type ApprovalOutcome, type ApprovalSubmission } from './approve.js';
import {
  failWorkflow,
  note,
  now,
  recordRun,
  settleAudit,
  sweepWorkDir,
  trackAudit,
  versionStamp,
  type FaultHook,
  type OrchestratorContext,
} from './context.js';
import { registerContext } from './context-seam.js';
import { openLayout } from './home.js';
import { planPhase } from './plan-phase.js';
import { preflightPhase } from './preflight-phase.js';
import { WorkflowQueue } from './queue.js';
import { putRequest, REQUEST_TYPE, type WorkflowRequest } from './records.js';
import {
  auditCorruptWal,
  auditTornTail,
  reconcileAudit,
  resume,
  type RecoveryAction,
} from './recovery.js';
import { failedRejections, retryChain } from './retry-chain.js';
import { reconcileSpool } from './spool-recovery.js';
import { refusedTakeoffRun, takeoffPhase } from './takeoff-phase.js';
import { walEvent } from './wal-events.js';
import { isWorkflowId, listWorkflowIds, WorkflowFiles } from './workflow-files.js';
import { WorkflowTable } from './workflow-table.js';
import { WorkspaceLocks } from './workspace-lock.js';

/** Dependencies of an orchestrator. */
export interface OrchestratorOptions {
  readonly home: ClearanceHome;
  readonly config: ClearanceConfig;
  readonly registry: EngineRegistry;
  readonly sandbox: EngineSandbox;
  readonly policySources: readonly PolicySource[];
  readonly runs: RunArtifactStore;
  readonly faults?: FaultHook;
  readonly versions?: Readonly<Record<string, string>>;
  /** Accepted cnc feasibility overrides (default: none). */
  readonly overrides?: OverrideLookup;
}

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

/** The Clearance orchestrator of one home. */
export class Orchestrator {
  private readonly workflows: WorkflowTable;
  private readonly queue: WorkflowQueue;
  private readonly approvals = new ApprovalIndex();

  private constructor(private readonly ctx: OrchestratorContext) {
    this.workflows = new WorkflowTable(ctx.home.cas);
    this.queue = new WorkflowQueue((id) => this.settle(id));
  }

  /** Open the orchestrator and recover every workflow (crash rules of §4.2.10). */
  static async open(
    options: OrchestratorOptions,
  ): Promise<{ orchestrator: Orchestrator; recovery: RecoveryAction[] }> {
    const { workflowsDir, workDir } = await openLayout(options.home.dir);
    const overrides = options.overrides ?? { find: () => undefined };
    const ctx: OrchestratorContext = {
      home: options.home,
      config: options.config,
      registry: options.registry,
      sandbox: options.sandbox,
      policySources: options.policySources,
      policyDigest: policyDigest(options.policySources),
      runs: options.runs,
      workflowsDir,
      workDir,
      faults: options.faults,
      auditPipe: { pending: new Set(), failure: undefined },
      overrides,
      // Feasibility is built in: no configuration can let a cnc job skip it.
      feasibility: new CncFeasibilitySource(options.config.cnc, overrides),
      workspaceLocks: new WorkspaceLocks(),
      versions: { clearance: '0.1.0', protocol: 'cabincrew-draft@c963bb7', ...options.versions },
    };
    const orchestrator = new Orchestrator(ctx);
    registerContext(orchestrator, ctx);
    const recovery = await orchestrator.recover();
    await sweepWorkDir(ctx);
    return { orchestrator, recovery };
  }

  private async recover(): Promise<RecoveryAction[]> {
    const ids = await listWorkflowIds(this.ctx.workflowsDir);
    if (ids.length > 0) {
      await note(this.ctx, undefined, {
        event_type: 'recovery_start',
        severity: 'info',
        message: `replaying ${ids.length} workflow WALs`,
      });
    }
    const actions: RecoveryAction[] = [];
    for (const id of ids) {
      let opened;
      try {
        opened = await WorkflowFiles.open(
          this.ctx.workflowsDir,
          id,
          this.ctx.home.clock,
          this.ctx.home.walKey,
          this.walHooks(id),
        );
      } catch (err) {
        if (!hasCode(err, 'WAL_CORRUPT')) throw err;
        this.workflows.halt(id, err.message);
        await auditCorruptWal(this.ctx, id, err.message);
        actions.push({ workflow_id: id, from: 'unknown', action: 'halted: WAL corrupt' });
        continue;
      }
      const files = opened.files;
      this.workflows.add(files);
      await reconcileAudit(this.ctx, files);
      if (opened.torn !== undefined) await auditTornTail(this.ctx, files, opened.torn);
      const action = await this.queue.run(id, () => resume(this.ctx, files));
      actions.push(action);
      this.remember(files);
    }
    // Every program in the spool must be a completed, recorded release (B2).
    for (const q of await reconcileSpool(this.ctx, this.workflows.all())) {
      actions.push({
        workflow_id: q.workflow_id ?? 'none',
        from: 'spool',
        action: `quarantined spool file ${q.file} (${q.reason}) as ${q.quarantinedAs}`,
      });
    }
    return actions;
  }

  /** Propose a workflow: flight-plan and preflight run before this resolves. */
  async propose(proposal: Proposal, proposer: Principal): Promise<WorkflowDetails> {
    // B3: only the authority links a workflow to the one it retries; a client-sent link is
    // removed (and recorded as stripped) so it can neither claim nor hide a retry chain.
    if (Object.hasOwn(proposal.context, 'retry_of')) {
      const context = Object.fromEntries(
        Object.entries(proposal.context).filter(([k]) => k !== 'retry_of'),
      );
      return this.proposeAs(
        { ...proposal, context, stripped: [...proposal.stripped, '$.input.context.retry_of'] },
        proposer,
        undefined,
      );
    }
    return this.proposeAs(proposal, proposer, undefined);
  }

  private async proposeAs(
    proposal: Proposal,
    proposer: Principal,
    retryOf: string | undefined,
  ): Promise<WorkflowDetails> {
    authorize(proposer, 'propose');
    const engine = this.ctx.registry.get(proposal.engine);
    this.ctx.registry.workspace(proposal.workspace);
    // A cnc job is checked at the edge of the workflow: a bad job is refused with its pointer
    // (CNC_JOB_INVALID) before anything is recorded, instead of failing inside the sandbox.
    if (engine.id === CNC_ENGINE_ID) requestedJob(proposal.config);
    const allowed = [...new Set(proposal.allowedSecrets ?? [])].sort();
    const unknown = allowed.filter((n) => !engine.secrets.some((s) => s.name === n));
    if (unknown.length > 0) {
      throw new ClearanceError(
        'VALIDATION_FAILED',
        `engine ${engine.id} has no mapped secret ${unknown.join(', ').slice(0, 200)}`,
      );
    }
    const id = `wf-${this.ctx.home.ids.uuid().replace(/-/g, '')}`;
    if (!isWorkflowId(id)) throw new ClearanceError('INTERNAL', 'id source produced a bad id');
    const request: WorkflowRequest = {
      workflow_id: id,
      engine: { id: engine.id, version: engine.version, sha256: engine.sha256 },
      workspace: proposal.workspace,
      config: proposal.config,
      context: proposal.context,
      allowed_secrets: allowed,
      proposer: proposer.name,
      stripped: proposal.stripped,
      created_at: now(this.ctx),
      ...(retryOf === undefined ? {} : { retry_of: retryOf }),
    };
    return this.queue.run(id, async () => {
      const address = await putRequest(this.ctx.home.cas, request);
      const home = this.ctx.home;
      const files = await WorkflowFiles.create(
        this.ctx.workflowsDir,
        id,
        home.clock,
        home.walKey,
        [
          {
            type: 'artifact_created',
            data: {
              artifact_id: 'main/request',
              artifact_hash: address,
              artifact_type: REQUEST_TYPE,
            },
          },
        ],
        this.walHooks(id),
      );
      this.workflows.add(files, request);
      files.log.forEach((entry, i) => {
        this.ctx.faults?.('wal-appended', { workflowId: id, sequence: i, state: 'INIT' });
        trackAudit(
          this.ctx,
          this.ctx.home.audit.append(
            walEvent(entry, 'INIT', undefined, {
              message:
                i === 0
                  ? `workflow proposed by ${proposer.name}: engine ${engine.id}@${engine.version}, workspace ${proposal.workspace}`
                  : `wal ${i}: request recorded (${address})`,
            }),
          ),
        );
      });
      if (proposal.stripped.length > 0) {
        await note(this.ctx, files.view, {
          event_type: 'client_feasibility_stripped',
          severity: 'warning',
          message: `client-sent authority fields were removed before evaluation: ${proposal.stripped.join(', ')}`,
        });
      }
      if (await planPhase(this.ctx, files, request)) {
        await preflightPhase(this.ctx, files, request);
      }
      this.remember(files);
      return this.workflows.details(id);
    });
  }

  /** Submit an approval response (§4.2.7). Never throws for a refused submission: it is recorded. */
  async approve(submission: ApprovalSubmission): Promise<ApprovalOutcome> {
    const owner = this.approvals.ownerOf(submission.approvalId);
    const run = async (): Promise<ApprovalOutcome> => {
      const files = owner === undefined ? undefined : this.workflows.peek(owner);
      const proposer =
        owner === undefined || files?.view.objects[REQUEST_TYPE] === undefined
          ? undefined
          : (await this.workflows.requestOf(owner)).proposer;
      // B3: the retry chain is read only for signed-in callers (no store reads for floods).
      const chain =
        owner === undefined || proposer === undefined || submission.user === undefined
          ? undefined
          : await retryChain(owner, {
              request: (id) => this.workflows.storedRequest(id),
              view: (id) => this.workflows.peek(id)?.view,
              failedRejections: (id) => failedRejections(this.ctx.runs, id),
            });
      const outcome = await submitApproval(this.ctx, submission, files, proposer, chain);
      if (files !== undefined) this.remember(files);
      return outcome;
    };
    if (owner !== undefined) return this.queue.run(owner, run);
    try {
      return await run();
    } finally {
      await settleAudit(this.ctx);
    }
  }

  /**
   * Record an approval submission that could not even be parsed (malformed body): an ERROR run
   * artifact and an audit event, no workflow change. Every attempt leaves a record.
   */
  async recordMalformedApproval(info: {
    readonly approvalId?: string;
    readonly user: Principal | undefined;
    readonly reason: string;
  }): Promise<string> {
    const owner =
      info.approvalId === undefined ? undefined : this.approvals.ownerOf(info.approvalId);
    const view = owner === undefined ? undefined : this.workflows.peek(owner)?.view;
    await note(this.ctx, view, {
      event_type: 'approval_mismatch',
      severity: 'warning',
      message: `malformed approval submission${info.approvalId === undefined ? '' : ` for ${info.approvalId.slice(0, 80)}`} refused: ${info.reason.slice(0, 300)}`,
    });
    const runId = await recordRun(this.ctx, view, {
      kind: 'approval',
      status: 'ERROR',
      workflow_id: view?.workflow_id ?? null,
      actor: info.user?.name ?? null,
      code: 'APPROVAL_INVALID',
      reason: info.reason.slice(0, 500),
      request: { approval_id: info.approvalId?.slice(0, 80) ?? null, malformed: true },
      versions: versionStamp(this.ctx),
    });
    await settleAudit(this.ctx);
    return runId;
  }

  /**
   * Fail every workflow whose pending approval has outlived the configured TTL (G-31: expiry =
   * reject; `approval_expired`, FAILED). Run periodically by the server; returns the ids failed.
   */
  async expireApprovals(): Promise<string[]> {
    const ttl = this.ctx.config.approvals.ttlMs;
    if (ttl === undefined) return [];
    const nowMs = this.ctx.home.clock.now();
    const expired: string[] = [];
    for (const files of this.workflows.all()) {
      const id = files.id;
      const late = files.view.pending.find((p) => nowMs > Date.parse(p.requested_at) + ttl);
      if (files.view.state !== 'AWAITING_APPROVAL' || late === undefined) continue;
      await this.queue.run(id, async () => {
        const current = files.view.pending.find((p) => p.approval_id === late.approval_id);
        if (files.view.state !== 'AWAITING_APPROVAL' || current === undefined) return;
        await note(this.ctx, files.view, {
          event_type: 'approval_expired',
          severity: 'warning',
          message: `approval ${late.approval_id} (role ${late.required_role}) expired unanswered after ${ttl} ms`,
        });
        await failWorkflow(this.ctx, files, `approval ${late.approval_id} expired`, {
          severity: 'warning',
        });
        expired.push(id);
      });
    }
    return expired;
  }

  /** Approve the single pending request of a workflow (the RMOS contract's `approve`). */
  async approveWorkflow(
    workflowId: string,
    submission: Omit<ApprovalSubmission, 'approvalId' | 'workflowId'>,
  ): Promise<ApprovalOutcome> {
    const view = this.viewOf(workflowId);
    const pending = view.pending;
    if (pending.length !== 1 || pending[0] === undefined) {
      throw new ClearanceError(
        pending.length === 0 ? 'APPROVAL_NOT_PENDING' : 'CONFLICT',
        pending.length === 0
          ? 'workflow has no pending approval'
          : 'workflow has several pending approvals; answer each by its id',
      );
    }
    return this.approve({ ...submission, approvalId: pending[0].approval_id, workflowId });
  }

  /** Take-off (operator): refused, audited and state unchanged unless READY_FOR_TAKEOFF (S-27). */
  async takeoff(workflowId: string, actor: Principal): Promise<WorkflowDetails> {
    const files = this.workflows.filesOf(workflowId);
    return this.queue.run(workflowId, async () => {
      const request = await this.workflows.requestOf(workflowId);
      // Every refused take-off also leaves a BLOCKED run artifact (RMOS: every attempt recorded).
      const refuse = async (code: 'FORBIDDEN' | 'TRANSITION_ILLEGAL', why: string) => {
        await recordRun(
          this.ctx,
          files.view,
          refusedTakeoffRun(this.ctx, files.view, request, actor.name, code, why),
        );
        return this.refuse(files.view, actor, code, why);
      };
      if (!may(actor, 'takeoff')) {
        await refuse('FORBIDDEN', 'take-off needs the operator role');
      }
      if (files.view.state !== 'READY_FOR_TAKEOFF') {
        await refuse('TRANSITION_ILLEGAL', `take-off refused in state ${files.view.state}`);
      }
      await takeoffPhase(this.ctx, files, request, actor.name);
      this.remember(files);
      return this.workflows.details(workflowId);
    });
  }

  /** Re-plan a workflow awaiting approval (S-10): the pending requests are superseded. */
  async replan(workflowId: string, actor: Principal): Promise<WorkflowDetails> {
    const files = this.workflows.filesOf(workflowId);
    return this.queue.run(workflowId, async () => {
      const request = await this.workflows.requestOf(workflowId);
      if (!may(actor, 'replan', { proposer: request.proposer }))
        await this.refuse(
          files.view,
          actor,
          'FORBIDDEN',
          're-plan needs the proposer or an operator',
        );
      if (files.view.state !== 'AWAITING_APPROVAL') {
        await this.refuse(
          files.view,
          actor,
          'TRANSITION_ILLEGAL',
          `re-plan refused in state ${files.view.state}`,
        );
      }
      await note(this.ctx, files.view, {
        event_type: 'replan_requested',
        severity: 'info',
        message: `re-plan requested by ${actor.name}; pending approvals ${files.view.pending.map((p) => p.approval_id).join(', ')} are superseded`,
      });
      if (await planPhase(this.ctx, files, request)) await preflightPhase(this.ctx, files, request);
      this.remember(files);
      return this.workflows.details(workflowId);
    });
  }

  /**
   * Explicit operator retry of a FAILED workflow (e.g. take-off outcome unknown): a new workflow
   * with the same request, linked to the old one, through flight-plan, policy and approval again.
   */
  async retry(workflowId: string, actor: Principal): Promise<WorkflowDetails> {
    authorize(actor, 'retry');
    const view = this.viewOf(workflowId);
    if (view.state !== 'FAILED') {
      throw new ClearanceError('TRANSITION_ILLEGAL', `only a FAILED workflow can be retried`);
    }
    const request = await this.workflows.requestOf(workflowId);
    await note(this.ctx, view, {
      event_type: 'recovery_rerun',
      severity: 'warning',
      message: `operator ${actor.name} explicitly retries ${workflowId} as a new workflow`,
    });
    // B3: the link is recorded in the request (authoritative); the context keeps it for display.
    return this.proposeAs(
      {
        engine: request.engine.id,
        workspace: request.workspace,
        config: request.config,
        context: { ...request.context, retry_of: workflowId },
        allowedSecrets: request.allowed_secrets,
        stripped: [],
      },
      actor,
      workflowId,
    );
  }

  /** One workflow, as callers see it. */
  async get(workflowId: string): Promise<WorkflowDetails> {
    return this.workflows.details(workflowId);
  }

  /** All workflows (halted ones included), newest first. */
  async list(): Promise<WorkflowDetails[]> {
    const out = await Promise.all(this.workflows.ids().map((id) => this.workflows.details(id)));
    return out.sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  }

  /** The WAL view of a workflow (for routes that render artifacts). */
  viewOf(workflowId: string): WorkflowView {
    return this.workflows.filesOf(workflowId).view;
  }

  /** The stored request of a workflow. */
  requestOf(workflowId: string): Promise<WorkflowRequest> {
    return this.workflows.requestOf(workflowId);
  }

  /** Let running operations finish, make their audit events durable, close every WAL. */
  async close(): Promise<void> {
    await this.queue.drain();
    await settleAudit(this.ctx).catch(() => undefined);
    for (const files of this.workflows.all()) {
      await files.snapshot();
      await files.close();
    }
    this.workflows.clear();
  }

  private async refuse(
    view: WorkflowView,
    actor: Principal,
    code: 'FORBIDDEN' | 'TRANSITION_ILLEGAL',
    message: string,
  ): Promise<never> {
    await note(this.ctx, view, {
      event_type: code === 'FORBIDDEN' ? 'request_refused' : 'transition_refused',
      severity: 'error',
      message: `${message} (requested by ${actor.name}); state unchanged`,
    });
    throw new ClearanceError(code, message);
  }

  /** After an operation: index its approval ids, drop the cached request once it ended. */
  private remember(files: WorkflowFiles): void {
    this.approvals.remember(files.id, files.view);
    this.workflows.settle(files);
  }

  /** Crash injection between a WAL write and its fdatasync (WAL-9), when a fault hook is set. */
  private walHooks(workflowId: string): { beforeSync?: () => void } {
    const faults = this.ctx.faults;
    if (faults === undefined) return {};
    return {
      beforeSync: () => {
        const files = this.workflows.peek(workflowId);
        faults('wal-written', {
          workflowId,
          sequence: files?.log.length ?? 0,
          state: files?.view.state ?? 'INIT',
        });
      },
    };
  }

  /** Every operation ends with its snapshot written and its audit events durable. */
  private async settle(workflowId: string): Promise<void> {
    const files = this.workflows.peek(workflowId);
    if (files !== undefined) {
      this.ctx.faults?.('snapshot', {
        workflowId,
        sequence: files.log.length - 1,
        state: files.view.state,
      });
    }
    await files?.snapshot();
    await settleAudit(this.ctx);
  }
}
