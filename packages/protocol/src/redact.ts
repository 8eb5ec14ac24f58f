/**
 * Secret redaction for anything that is about to be hashed, signed or stored (AUD-7, SEC-3).
 *
 * Two independent nets: values under secret-sounding keys are replaced whole, and strings anywhere
 * are scanned for token shapes (cloud keys, VCS tokens, JWTs, PEM private keys, bearer headers,
 * credentials in URLs, Clearance user tokens). Redaction returns a new value and never mutates its
 * input. It is deliberately over-eager: a false positive costs a readable log line, a false negative
 * leaks a credential into an immutable record forever. Deployments add rules with `withRules`.
 */
import { ClearanceError } from './errors.js';

/** A named token pattern; matches are replaced by `[REDACTED:<name>]`. */
export interface SecretPattern {
  readonly name: string;
  /** Must be global (`g`), so every occurrence is replaced. */
  readonly regex: RegExp;
}

/** Redaction rules. */
export interface RedactionRules {
  /** Exact key names (compared lowercased, with `-` read as `_`) whose values are always secret. */
  readonly secretKeys: readonly string[];
  /** Key suffixes (same normalisation) marking a secret, e.g. `_password` in `db_password`. */
  readonly secretKeySuffixes: readonly string[];
  readonly patterns: readonly SecretPattern[];
}

/** Marker left where a value under a secret key was. */
export const REDACTED = '[REDACTED]';

/** The built-in rules: a key deny-list and token patterns. */
export const DEFAULT_REDACTION_RULES: RedactionRules = Object.freeze({
  secretKeys: [
    'password',
    'passwd',
    'pwd',
    'passphrase',
    'secret',
    'secrets',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'identity_token',
    'auth_token',
    'bearer',
    'api_key',
    'apikey',
    'x_api_key',
    'authorization',
    'proxy_authorization',
    'cookie',
    'set_cookie',
    'session',
    'session_id',
    'sessionid',
    'private_key',
    'privatekey',
    'client_secret',
    'credentials',
    'credential',
    'ssh_key',
    'signing_key',
    'secret_key',
    'access_key',
    'aws_secret_access_key',
    'connection_string',
    'dsn',
  ],
  secretKeySuffixes: [
    '_password',
    '_passwd',
    '_secret',
    '_api_key',
    '_apikey',
    '_private_key',
    '_secret_key',
    '_access_key',
    '_access_token',
    '_refresh_token',
    '_auth_token',
    '_credentials',
    '_session',
  ],
  patterns: [
    {
      name: 'private-key',
      regex:
        /-----BEGIN[ A-Z0-9]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END[ A-Z0-9]*PRIVATE KEY( BLOCK)?-----|$)/g,
    },
    { name: 'clearance-token', regex: /\bclr_[A-Za-z0-9_-]{20,}/g },
    { name: 'aws-access-key-id', regex: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g },
    {
      name: 'aws-secret-access-key',
      regex:
        /\b(aws_?secret_?access_?key|secret_?access_?key)(\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}\b/gi,
    },
    {
      name: 'github-token',
      regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
    },
    { name: 'gitlab-token', regex: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
    { name: 'slack-token', regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
    { name: 'slack-webhook', regex: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g },
    { name: 'stripe-key', regex: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
    { name: 'google-api-key', regex: /\bAIza[0-9A-Za-z_-]{35}\b/g },
    { name: 'openai-key', regex: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}\b/g },
    { name: 'anthropic-key', regex: /\bsk-ant-[A-Za-z0-9_-]{20,}\b/g },
    { name: 'npm-token', regex: /\bnpm_[A-Za-z0-9]{36}\b/g },
    { name: 'jwt', regex: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}\b/g },
    { name: 'bearer', regex: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{12,}/g },
    { name: 'url-credentials', regex: /\b([a-z][a-z0-9+.-]*:\/\/)[^\s:/@]+:[^\s/@]+@/gi },
    {
      name: 'key-value-secret',
      regex:
        /\b(password|passwd|pwd|secret|api[_-]?key|token|client[_-]?secret)(\s*[:=]\s*)("[^"]{4,}"|'[^']{4,}'|[^\s"',;&]{4,})/gi,
    },
  ],
});

/** A configured redactor; immutable, so a shared instance cannot be weakened by one caller. */
export class Redactor {
  private readonly keys: ReadonlySet<string>;

  constructor(private readonly rules: RedactionRules = DEFAULT_REDACTION_RULES) {
    for (const p of rules.patterns) {
      if (!p.regex.global)
        throw new ClearanceError('INTERNAL', `redaction pattern ${p.name} must be global`);
    }
    this.keys = new Set(rules.secretKeys.map(normaliseKey));
  }

  /** A new redactor with extra rules appended (the built-in ones always stay). */
  withRules(extra: Partial<RedactionRules>): Redactor {
    return new Redactor({
      secretKeys: [...this.rules.secretKeys, ...(extra.secretKeys ?? [])],
      secretKeySuffixes: [...this.rules.secretKeySuffixes, ...(extra.secretKeySuffixes ?? [])],
      patterns: [...this.rules.patterns, ...(extra.patterns ?? [])],
    });
  }

  /** True when a value under `key` must be hidden whole. */
  isSecretKey(key: string): boolean {
    const k = normaliseKey(key);
    return (
      this.keys.has(k) || this.rules.secretKeySuffixes.some((s) => k.endsWith(normaliseKey(s)))
    );
  }

  /** Replace every token-shaped substring of `text`. */
  redactString(text: string): string {
    let out = text;
    for (const { name, regex } of this.rules.patterns) {
      regex.lastIndex = 0;
      out = out.replace(regex, (...m: unknown[]) => replacement(name, m));
    }
    return out;
  }

  /** Deep-redacted copy of a JSON-like value (plain objects, arrays, primitives). */
  redact<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (depth > 256)
      throw new ClearanceError('REDACTION_FAILED', 'value nested too deeply to redact');
    if (typeof value === 'string') return this.redactString(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        // Keep the key (it says *that* something was there); hide the whole value, even objects.
        out[k] = this.isSecretKey(k) && v !== null && v !== '' ? REDACTED : this.walk(v, depth + 1);
      }
      return out;
    }
    return value;
  }
}

function normaliseKey(key: string): string {
  return key.toLowerCase().replaceAll('-', '_');
}

// Patterns whose first groups are context (a key name, "Bearer", a URL scheme) keep that context.
function replacement(name: string, match: unknown[]): string {
  const marker = `[REDACTED:${name}]`;
  const g1 = match[1];
  const g2 = match[2];
  if (name === 'bearer' && typeof g1 === 'string') return `${g1} ${marker}`;
  if (name === 'url-credentials' && typeof g1 === 'string') return `${g1}${marker}@`;
  if (
    (name === 'key-value-secret' || name === 'aws-secret-access-key') &&
    typeof g1 === 'string' &&
    typeof g2 === 'string'
  ) {
    return `${g1}${g2}${marker}`;
  }
  return marker;
}
