import type { Artifact, PlanArtifactHash, PlanToken } from './artifact.js';
import type {
  EngineArtifact,
  EngineInput,
  EngineMeta,
  EngineMetric,
  EngineOrchestrator,
  EngineOutput,
} from './engine.js';
import type {
  GatewayApproval,
  LLMGatewayPolicyConfig,
  LLMGatewayRequest,
  LLMGatewayResponse,
  LLMGatewayRule,
  MCPGatewayPolicyConfig,
  MCPGatewayRequest,
  MCPGatewayResponse,
  MCPGatewayRule,
} from './gateway.js';
import { shape } from './shape.js';

/** Shapes of the artifact, plan-token, engine I/O and gateway object definitions. */
export const ENGINE_SHAPES = {
  Artifact: shape<Artifact>()({
    properties: ['artifact_type', 'action', 'target', 'mime', 'body', 'body_file', 'metadata'],
    required: ['artifact_type', 'action', 'mime'],
  }),
  PlanArtifactHash: shape<PlanArtifactHash>()({
    properties: ['name', 'hash', 'size'],
    required: ['name', 'hash'],
  }),
  PlanToken: shape<PlanToken>()({
    properties: [
      'token',
      'version',
      'artifacts',
      'model',
      'engine_id',
      'protocol_version',
      'workspace_hash',
      'created_at',
      'policy_digest',
      'governance_hash',
    ],
    required: [
      'token',
      'version',
      'artifacts',
      'model',
      'engine_id',
      'protocol_version',
      'workspace_hash',
      'created_at',
    ],
  }),
  EngineMeta: shape<EngineMeta>()({
    properties: ['workflow_id', 'step_id'],
    required: ['workflow_id', 'step_id'],
  }),
  EngineOrchestrator: shape<EngineOrchestrator>()({
    properties: ['run_index', 'workspace_hash', 'artifacts_salt'],
    required: [],
  }),
  EngineInput: shape<EngineInput>()({
    properties: [
      'protocol_version',
      'mode',
      'meta',
      'config',
      'secrets',
      'allowed_secrets',
      'context',
      'identity_token',
      'orchestrator',
      'expected_plan_token',
    ],
    required: ['protocol_version', 'mode', 'meta'],
  }),
  EngineArtifact: shape<EngineArtifact>()({
    properties: ['name', 'role', 'path', 'hash', 'size'],
    required: ['name', 'role', 'path', 'hash'],
  }),
  EngineMetric: shape<EngineMetric>()({
    properties: ['name', 'value', 'tags'],
    required: ['name', 'value'],
  }),
  EngineOutput: shape<EngineOutput>()({
    properties: [
      'protocol_version',
      'engine_id',
      'mode',
      'receipt_id',
      'status',
      'error',
      'warnings',
      'diagnostics',
      'artifacts',
      'metrics',
      'plan_token',
    ],
    required: ['protocol_version', 'engine_id', 'mode', 'receipt_id', 'status'],
  }),
  LLMGatewayRequest: shape<LLMGatewayRequest>()({
    properties: ['request_id', 'timestamp', 'source', 'model', 'provider', 'input', 'context'],
    required: ['request_id', 'timestamp', 'model', 'input'],
  }),
  GatewayApproval: shape<GatewayApproval>()({
    properties: ['approval_id', 'required_role', 'reason'],
    required: [],
  }),
  LLMGatewayResponse: shape<LLMGatewayResponse>()({
    properties: [
      'request_id',
      'timestamp',
      'decision',
      'warnings',
      'violations',
      'approval',
      'routed_model',
      'rewritten_input',
      'gateway_payload',
    ],
    required: ['request_id', 'timestamp', 'decision'],
  }),
  LLMGatewayRule: shape<LLMGatewayRule>()({
    properties: ['match', 'action', 'metadata'],
    required: ['match', 'action'],
  }),
  LLMGatewayPolicyConfig: shape<LLMGatewayPolicyConfig>()({
    properties: ['opa_policies', 'onnx_models', 'model_routing', 'rules'],
    required: [],
  }),
  MCPGatewayRequest: shape<MCPGatewayRequest>()({
    properties: ['request_id', 'timestamp', 'source', 'server_id', 'method', 'params', 'context'],
    required: ['request_id', 'timestamp', 'server_id', 'method'],
  }),
  MCPGatewayResponse: shape<MCPGatewayResponse>()({
    properties: [
      'request_id',
      'timestamp',
      'decision',
      'warnings',
      'violations',
      'approval',
      'rewritten_request',
    ],
    required: ['request_id', 'timestamp', 'decision'],
  }),
  MCPGatewayRule: shape<MCPGatewayRule>()({
    properties: ['match', 'action', 'metadata'],
    required: ['match', 'action'],
  }),
  MCPGatewayPolicyConfig: shape<MCPGatewayPolicyConfig>()({
    properties: ['opa_policies', 'onnx_models', 'rules'],
    required: [],
  }),
} as const;
