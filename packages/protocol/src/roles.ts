/** Role names (built-in or named, e.g. `release-manager`): one rule for users and policies. */
export const ROLE_NAME_RE = /^[a-z][a-z0-9_-]{0,31}$/;
