/** The declarative rules policy source: the first real PolicySource (kind `custom`). */
import { HASH_DOMAINS, ClearanceError, H } from '@clearance/protocol';
import { NAME_RE, RESERVED_SOURCE_NAME } from '../names.js';
import type { EvaluationContext, PolicyInput, PolicyResult, PolicySource } from '../types.js';
import { parseRulesConfig, type RulesConfig } from './config.js';
import { evaluateRules } from './match.js';

/** Hash domain of a rules source's config digest. */
export const RULES_DIGEST_DOMAIN = HASH_DOMAINS.POLICY_RULES;

/**
 * Rules from the configuration: match on engine, artifact type/action/role/mime/target, paths,
 * sizes and metadata, decide allow/warn/deny/require_approval with a reason (and a role).
 * Immutable once built; evaluation is pure and never throws for a well-formed input.
 */
export class RulesPolicySource implements PolicySource {
  readonly kind = 'custom';

  private constructor(
    readonly name: string,
    readonly digest: string,
    private readonly config: RulesConfig,
  ) {}

  /**
   * Build a source from an untrusted config value (strictly validated). `digest` is H over the
   * canonical config, so any change to the rules changes `policy_digest`. Throws
   * POLICY_CONFIG_INVALID with `detail.pointer` on any problem.
   */
  static fromConfig(name: string, config: unknown): RulesPolicySource {
    if (typeof name !== 'string' || !NAME_RE.test(name) || name === RESERVED_SOURCE_NAME) {
      throw new ClearanceError('POLICY_CONFIG_INVALID', 'invalid rules source name', {
        detail: { pointer: '/name' },
      });
    }
    const parsed = parseRulesConfig(config);
    return new RulesPolicySource(name, H(RULES_DIGEST_DOMAIN, parsed.canonical), parsed.config);
  }

  /** Evaluate the rules for `input`; see {@link evaluateRules} for the semantics. */
  evaluate(input: PolicyInput, ctx: EvaluationContext): Promise<readonly PolicyResult[]> {
    // Run inside a promise so that even an unexpected throw surfaces as a rejection.
    return Promise.resolve().then(() => {
      ctx.signal.throwIfAborted();
      return evaluateRules(this.name, this.config, input, ctx.now());
    });
  }
}
