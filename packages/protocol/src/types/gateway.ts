import type { DateTimeString, RecordStringAny } from './json.js';
import type { Decision } from './orchestrator.js';

/** Approval hint in a gateway response (present when the decision is `require_approval`). */
export type GatewayApproval = {
  readonly approval_id?: string;
  readonly required_role?: string;
  readonly reason?: string;
};

/** A request to the LLM gateway. */
export type LLMGatewayRequest = {
  readonly request_id: string;
  readonly timestamp: DateTimeString;
  /** Caller identity. */
  readonly source?: string;
  readonly model: string;
  readonly provider?: string;
  /** Prompt, messages, tools and parameters. */
  readonly input: RecordStringAny;
  readonly context?: RecordStringAny;
};

/** The LLM gateway's decision on a request (carries no completion). */
export type LLMGatewayResponse = {
  readonly request_id: string;
  readonly timestamp: DateTimeString;
  readonly decision: Decision;
  readonly warnings?: readonly string[];
  readonly violations?: readonly string[];
  readonly approval?: GatewayApproval;
  readonly routed_model?: string;
  readonly rewritten_input?: RecordStringAny;
  /** Gateway diagnostics. */
  readonly gateway_payload?: RecordStringAny;
};

/** One LLM gateway rule. */
export type LLMGatewayRule = {
  readonly match: RecordStringAny;
  /** Usually a decision; free-form allowed. */
  readonly action: string;
  readonly metadata?: RecordStringAny;
};

/** LLM gateway policy configuration. */
export type LLMGatewayPolicyConfig = {
  /** Paths or inline Rego. */
  readonly opa_policies?: readonly string[];
  readonly onnx_models?: readonly string[];
  readonly model_routing?: RecordStringAny;
  readonly rules?: readonly LLMGatewayRule[];
};

/** A request to the MCP gateway. */
export type MCPGatewayRequest = {
  readonly request_id: string;
  readonly timestamp: DateTimeString;
  /** Caller identity. */
  readonly source?: string;
  readonly server_id: string;
  /** MCP method (free string). */
  readonly method: string;
  readonly params?: RecordStringAny;
  readonly context?: RecordStringAny;
};

/** The MCP gateway's decision on a request (carries no downstream result). */
export type MCPGatewayResponse = {
  readonly request_id: string;
  readonly timestamp: DateTimeString;
  readonly decision: Decision;
  readonly warnings?: readonly string[];
  readonly violations?: readonly string[];
  readonly approval?: GatewayApproval;
  readonly rewritten_request?: RecordStringAny;
};

/** One MCP gateway rule. */
export type MCPGatewayRule = {
  readonly match: RecordStringAny;
  /** Usually a decision; free-form allowed. */
  readonly action: string;
  readonly metadata?: RecordStringAny;
};

/** MCP gateway policy configuration. */
export type MCPGatewayPolicyConfig = {
  /** Paths or inline Rego. */
  readonly opa_policies?: readonly string[];
  readonly onnx_models?: readonly string[];
  readonly rules?: readonly MCPGatewayRule[];
};
