/**
 * The policy input document (G-43): the engine receipt, every stored artifact (parsed
 * artifact.json, and the body as text when it is textual and small), the stored PlanToken, the
 * engine identity and the proposer. Built from the content-addressed store, never from an engine
 * folder.
 */
import {
  HASH_DOMAINS,
  parseJsonStrict,
  type JsonValue,
  type PreflightInput,
} from '@clearance/protocol';
import type { PolicyArtifact, PolicyInput } from '@clearance/governance';
import type { ContentStore } from '../cas/store.js';
import type { StoredArtifact } from '../plan/index.js';
import { ENGINE_STEP, type WorkflowView } from '../workflow/reducer.js';
import { getObject, isObject, requireObject } from './objects.js';
import { RECEIPT_TYPE } from './records.js';
import { PLAN_RECORD_TYPE, REQUEST_TYPE, type WorkflowRequest } from './records.js';
import { planRecords } from './verify.js';

/** Bodies up to this size are shown to policies as text (G-43). */
const POLICY_BODY_TEXT_BYTES = 256 * 1024;

/** The policy input: the receipt, the stored artifacts (parsed) and the stored token (G-43). */
export async function policyInput(
  cas: ContentStore,
  view: WorkflowView,
  request: WorkflowRequest,
): Promise<PolicyInput> {
  const { set, stored: token } = await planRecords(
    cas,
    requireObject(view, PLAN_RECORD_TYPE),
    requireObject(view, REQUEST_TYPE),
  );
  const receiptRecord = await getObject(
    cas,
    requireObject(view, RECEIPT_TYPE),
    HASH_DOMAINS.ENGINE_RECEIPT,
  );
  const receipt = receiptRecord['receipt'];
  const artifacts: PolicyArtifact[] = [];
  const parsed: Record<string, JsonValue> = {};
  for (const a of set.artifacts) {
    const meta = parseJsonStrict((await cas.get(a.meta.address)).toString('utf8'));
    const body = a.body === null ? null : await cas.get(a.body.address);
    if (isObject(meta)) parsed[a.name] = meta;
    artifacts.push(policyArtifact(a, parsed[a.name], body));
  }
  const preflight: PreflightInput = {
    workflow_id: view.workflow_id,
    step_id: ENGINE_STEP,
    mode: 'flight-plan',
    engine_output: isObject(receipt) ? receipt : {},
    evidence: set.artifacts
      .filter((a) => a.role === 'evidence')
      .map((a) => ({ name: a.name, path: `${a.name}/artifact.json`, hash: a.hash })),
    context: { artifacts: parsed },
    plan_token: token,
  };
  return {
    preflight,
    engine: { id: request.engine.id, version: request.engine.version },
    artifacts,
    proposer: request.proposer,
    request: { config: request.config, context: request.context },
  };
}

function policyArtifact(
  a: StoredArtifact,
  meta: JsonValue | undefined,
  body: Buffer | null,
): PolicyArtifact {
  const metadata = isObject(meta) && isObject(meta['metadata']) ? meta['metadata'] : {};
  const paths = new Set<string>();
  if (a.target !== undefined) paths.add(a.target);
  const p = metadata['path'];
  if (typeof p === 'string') paths.add(p);
  const textual = a.mime.startsWith('text/') || a.mime === 'application/json';
  return {
    name: a.name,
    role: a.role,
    artifact_type: a.artifact_type,
    action: a.action,
    ...(a.target === undefined ? {} : { target: a.target }),
    mime: a.mime,
    metadata,
    hash: a.hash,
    size: a.descriptor.size,
    body_size: body?.length ?? 0,
    paths: [...paths],
    ...(body !== null && textual && body.length <= POLICY_BODY_TEXT_BYTES
      ? { body_text: body.toString('utf8') }
      : {}),
  };
}
