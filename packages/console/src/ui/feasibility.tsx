/** The feasibility badge (colour AND word) and the triggered rules with explanations and fixes. */
import type { FeasibilityCore, RiskLevel, RuleInfo } from '@clearance/client';
import { riskClass, riskMeaning } from '../logic/format.js';

/** GREEN / YELLOW / RED badge that always says the word. */
export function Badge({ risk }: { risk: RiskLevel }) {
  return (
    <span class={`badge badge-${riskClass(risk)}`} data-testid="feasibility-badge">
      <span aria-hidden="true">{risk === 'GREEN' ? '● ' : risk === 'YELLOW' ? '▲ ' : '■ '}</span>
      {risk}
    </span>
  );
}

/** A feasibility result: badge, summary, every triggered rule explained. */
export function FeasibilityView({
  result,
  rules,
  summary,
}: {
  result: FeasibilityCore;
  rules: readonly RuleInfo[];
  summary?: string | undefined;
}) {
  return (
    <section class="feasibility" aria-label="Feasibility">
      <p>
        Feasibility: <Badge risk={result.risk_level} /> —{' '}
        {summary ?? riskMeaning(result.risk_level)}
      </p>
      {result.rules_triggered.length > 0 && (
        <p>Rules triggered: {result.rules_triggered.join(', ')}</p>
      )}
      {result.blocking_reasons.length > 0 && (
        <ul class="reasons" aria-label="Blocking reasons">
          {result.blocking_reasons.map((r, i) => (
            <li key={`b${String(i)}`}>{r}</li>
          ))}
        </ul>
      )}
      {result.warnings.length > 0 && (
        <ul class="reasons" aria-label="Warnings">
          {result.warnings.map((w, i) => (
            <li key={`w${String(i)}`}>{w}</li>
          ))}
        </ul>
      )}
      {rules.length > 0 && (
        <dl class="rules">
          {rules.map((rule) => (
            <div key={rule.id} class="rule">
              <dt>
                <strong>{rule.id}</strong> ({rule.level}) — {rule.summary}
              </dt>
              <dd>{rule.explanation}</dd>
              <dd>
                <em>Fix: </em>
                {rule.fix_hint}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
