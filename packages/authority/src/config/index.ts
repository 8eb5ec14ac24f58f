/**
 * The deployment configuration (`$CLEARANCE_HOME/config.json`) and the engine registry: strict
 * parsing, the config fingerprint, supply-chain pins and publisher signatures (SEC-4).
 */
export { CHECKPOINT_EVERY, DEFAULT_RATE_LIMITS, WITNESS_TIMEOUT } from './audit.js';
export { DEFAULT_CNC } from './cnc.js';
export { DEFAULT_SANDBOX, LAUNCH_UID_BOUNDS, MAX_CONCURRENT_LAUNCHES } from './sandbox.js';
export { DEFAULT_APPROVAL_TTL_MS, defaultConfig } from './defaults.js';
export type { DefaultConfigOptions, DefaultWorkspace } from './defaults.js';
export { CONFIG_FILE, configPath, loadConfig } from './load.js';
export { CONFIG_DOMAIN, configJson, MAX_CONFIG_BYTES, parseConfig } from './parse.js';
export { PUBLICATION_DOMAIN, publicationDigest } from './publication.js';
export type { Publication } from './publication.js';
export { EngineRegistry, MATERIALIZED_MODE, MAX_EXECUTABLE_BYTES } from './registry.js';
export type { MaterializedEngine } from './registry.js';
export { APPROVAL_TTL, DEFAULT_SERVER, POLICY_TIMEOUT } from './sections.js';
export { LIMIT_SPECS } from './types.js';
export type {
  ApprovalsConfig,
  AuditConfig,
  ClearanceConfig,
  CncConfig,
  EngineEntry,
  EngineLimits,
  EnginePublisher,
  EngineSecret,
  LimitKey,
  LimitSpec,
  PolicyConfig,
  PolicySourceConfig,
  RateLimitsConfig,
  SandboxConfig,
  ServerConfig,
  WitnessConfig,
  WorkspaceEntry,
} from './types.js';
