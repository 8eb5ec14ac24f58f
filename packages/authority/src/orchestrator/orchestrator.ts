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
import { ClearanceError, hasCode } from '@clearance/protocol';
import { policyDigest, type PolicySource } from '@clearance/governance';
import type { ClearanceConfig, EngineRegistry } from '../config/index.js';
import type { DomainRegistry } from '../domain/registry.js';
import type { ClearanceHome } from '../home.js';
import type { RunArtifactStore } from '../runs/run-artifacts.js';
import { authorize, may } from '../authorization.js';
import type { EngineSandbox } from '../sandbox/index.js';
import type { WorkflowView } from '../workflow/reducer.js';
import { ApprovalIndex } from './approval-index.js';
import {
  expireApproval,
  lateApproval,
  recordMalformed,
  type MalformedApproval,
} from './approval-upkeep.js';
import { submitApproval, type ApprovalOutcome, type ApprovalSubmission } from './approve.js';
import {
  note,
  recordRun,
  settleAudit,
  sweepWorkDir,
  type FaultHook,
  type OrchestratorContext,
} from './context.js';
import { domainHost, recoverDomains } from './domain-ports.js';
import { registerContext } from './context-seam.js';
import { openLayout } from './home.js';
import { planPhase } from './plan-phase.js';
import { preflightPhase } from './preflight-phase.js';
import { WorkflowQueue } from './queue.js';
import { announceProposal, createWorkflow, newRequest, stripRetryLink } from './propose.js';
import { REQUEST_TYPE, type WorkflowRequest } from './records.js';
import {
  auditCorruptWal,
  auditTornTail,
  reconcileAudit,
  resume,
  type RecoveryAction,
} from './recovery.js';
import { failedRejections, retryChain } from './retry-chain.js';
import { takeoffPhase } from './takeoff-phase.js';
import { refusedTakeoffRun } from './takeoff-runs.js';
import type { Principal, Proposal, WorkflowDetails } from './types.js';
import { listWorkflowIds, WorkflowFiles } from './workflow-files.js';
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
  /** The registered domains (engines/builtin.ts): what each engine's workflows always get. */
  readonly domains: DomainRegistry;
}

export type { Principal, Proposal, WorkflowDetails } from './types.js';

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
      domains: options.domains,
      workspaceLocks: new WorkspaceLocks(),
      versions: { clearance: '0.1.0', protocol: 'cabincrew-draft@c963bb7', ...options.versions },
    };
    const orchestrator = new Orchestrator(ctx);
    options.domains.attach(domainHost(ctx));
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
    // Every domain's external effects must match the WALs (cnc: the spool, B2).
    actions.push(...(await recoverDomains(this.ctx, this.workflows.all())));
    return actions;
  }

  /** Propose a workflow: flight-plan and preflight run before this resolves. */
  async propose(proposal: Proposal, proposer: Principal): Promise<WorkflowDetails> {
    return this.proposeAs(stripRetryLink(proposal), proposer, undefined);
  }

  private async proposeAs(
    proposal: Proposal,
    proposer: Principal,
    retryOf: string | undefined,
  ): Promise<WorkflowDetails> {
    authorize(proposer, 'propose');
    const engine = this.ctx.registry.get(proposal.engine);
    this.ctx.registry.workspace(proposal.workspace);
    // The engine's domain checks the config at the edge of the workflow: a bad one (cnc:
    // CNC_JOB_INVALID with its pointer) is refused before anything is recorded.
    this.ctx.domains.forEngine(engine.id).checkProposal(proposal.config);
    const request = newRequest(this.ctx, proposal, proposer.name, engine, retryOf);
    const id = request.workflow_id;
    return this.queue.run(id, async () => {
      const { files, address } = await createWorkflow(this.ctx, request, this.walHooks(id));
      this.workflows.add(files, request);
      await announceProposal(this.ctx, files, request, address);
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
  async recordMalformedApproval(info: MalformedApproval): Promise<string> {
    const owner =
      info.approvalId === undefined ? undefined : this.approvals.ownerOf(info.approvalId);
    const view = owner === undefined ? undefined : this.workflows.peek(owner)?.view;
    const runId = await recordMalformed(this.ctx, view, info);
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
      const late = lateApproval(files.view, nowMs, ttl);
      if (late === undefined) continue;
      await this.queue.run(files.id, async () => {
        if (await expireApproval(this.ctx, files, late, ttl)) expired.push(files.id);
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
