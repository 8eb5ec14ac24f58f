/** The `cnc` section: where released G-code goes and who may unlock a blocked job. */
import { ROLE_NAME_RE, type JsonObject } from '@clearance/protocol';
import { fail, ObjectView, readAbsolutePath, readString } from './reader.js';
import type { CncConfig } from './types.js';

/** Defaults: no RED overrides, approvals by `approver`, YELLOW overrides by `supervisor`. */
export const DEFAULT_CNC: CncConfig = Object.freeze({
  allowRedOverride: false,
  approvalRole: 'approver',
  overrideRole: 'supervisor',
});

function readRole(view: ObjectView, key: string, fallback: string): string {
  if (!view.has(key)) return fallback;
  return readString(view.get(key), view.at(key), { maxLength: 32, pattern: ROLE_NAME_RE });
}

/** Parse `cnc` (absent: {@link DEFAULT_CNC}, spool folder `<home>/spool`). */
export function parseCnc(value: unknown, path: string): CncConfig {
  const view = ObjectView.of(value, path, {
    required: [],
    optional: ['spool_dir', 'allow_red_override', 'approval_role', 'override_role'],
  });
  let allowRedOverride = DEFAULT_CNC.allowRedOverride;
  if (view.has('allow_red_override')) {
    const v = view.get('allow_red_override');
    if (typeof v !== 'boolean') fail(view.at('allow_red_override'), 'must be a boolean');
    allowRedOverride = v;
  }
  const approvalRole = readRole(view, 'approval_role', DEFAULT_CNC.approvalRole);
  const overrideRole = readRole(view, 'override_role', DEFAULT_CNC.overrideRole);
  // Agents only propose (DESIGN trust zones): no setting can make them approve or override.
  for (const [key, role] of [
    ['approval_role', approvalRole],
    ['override_role', overrideRole],
  ] as const) {
    if (role === 'agent' || role === 'auditor') fail(view.at(key), `may not be ${role}`);
  }
  return {
    ...(view.has('spool_dir')
      ? { spoolDir: readAbsolutePath(view.get('spool_dir'), view.at('spool_dir')) }
      : {}),
    allowRedOverride,
    approvalRole,
    overrideRole,
  };
}

/**
 * The normalised form for the fingerprint, or undefined when everything is default (so configs
 * written before this section existed keep their fingerprint).
 */
export function cncJson(cnc: CncConfig): JsonObject | undefined {
  const isDefault =
    cnc.spoolDir === undefined &&
    cnc.allowRedOverride === DEFAULT_CNC.allowRedOverride &&
    cnc.approvalRole === DEFAULT_CNC.approvalRole &&
    cnc.overrideRole === DEFAULT_CNC.overrideRole;
  if (isDefault) return undefined;
  return {
    ...(cnc.spoolDir === undefined ? {} : { spool_dir: cnc.spoolDir }),
    allow_red_override: cnc.allowRedOverride,
    approval_role: cnc.approvalRole,
    override_role: cnc.overrideRole,
  };
}
