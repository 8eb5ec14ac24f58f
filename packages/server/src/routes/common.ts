/**
 * What every route declares: its schemas plus the annotations the OpenAPI document is generated
 * from (summary, tag, authentication mode), and the authentication hook that mode implies. One
 * declaration drives both, so the published security of a route is the enforced one.
 */
import type { AuthorityRuntime } from '@clearance/authority';
import type { FastifySchema, onRequestHookHandler } from 'fastify';
import { identifyCaller, requireAuth } from '../auth.js';

/**
 * - `bearer`: a valid token is required (401 otherwise);
 * - `submission`: approval submissions, which reach the orchestrator even without a valid token so
 *   the attempt is recorded (G-35);
 * - `none`: public (health, the OpenAPI document).
 */
export type AuthMode = 'bearer' | 'submission' | 'none';

/** A route's schema with its documentation annotations (Fastify ignores the extra keys). */
export interface ApiSchema extends FastifySchema {
  readonly summary: string;
  readonly tags: readonly string[];
  readonly auth: AuthMode;
  /** Media type of a non-JSON success answer (e.g. raw CAS bytes). */
  readonly produces?: string;
}

/** The onRequest hooks implementing an auth mode. */
export function authHooks(mode: AuthMode, runtime: AuthorityRuntime): onRequestHookHandler[] {
  switch (mode) {
    case 'bearer':
      return [requireAuth(runtime.queries)];
    case 'submission':
      return [identifyCaller(runtime.queries)];
    case 'none':
      return [];
  }
}

/** Parse a digit string already checked by the schema's pattern. */
export function toIndex(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : Number.parseInt(value, 10);
}
