/** @clearance/cli — the `clearance` command, callable in-process for tests. */
export { main } from './main.js';
export { auditShowCommand, auditVerifyCommand, initCommand, statusCommand } from './commands.js';
export type { HomeFlag, VerifyFlags } from './commands.js';
export { seedDemo } from './demo.js';
export type { DemoResult } from './demo.js';
export { engineBundle, initialConfig, patchBundle, writeInitialConfig } from './init-config.js';
export { EXIT, processIo } from './output.js';
export type { Io } from './output.js';
