/**
 * APR-13: the approver's view of this browser's signing key: its fingerprint, the public key to
 * register (PEM) and whether it is the key the server has for them (test hook:
 * data-testid="approval-key", data-key-ref, data-registered).
 */
import { approvalKey } from '../signing-key.js';
import { useLoad } from './load.js';
import { Busy, ProblemBox } from './common.js';
import { useSession } from './context.js';

/** The key panel shown above the approvals inbox. */
export function ApprovalKeyPanel() {
  const { me } = useSession();
  const key = useLoad(() => approvalKey(me.name), [me.name]);
  const mustSign = me.signature_required_roles.some((r) => me.roles.includes(r));
  if (key.error !== undefined) {
    return (
      <section aria-label="Approval signing key">
        <p>This browser cannot make an approval-signing key.</p>
        <ProblemBox error={key.error} />
      </section>
    );
  }
  if (key.data === undefined) return <Busy label="Preparing the approval-signing key…" />;
  const registered = me.key_ref === key.data.keyRef;
  return (
    <section
      class="card"
      aria-label="Approval signing key"
      data-testid="approval-key"
      data-key-ref={key.data.keyRef}
      data-registered={String(registered)}
    >
      <h3>Approval signing key</h3>
      <p>
        Fingerprint of this browser's key: <code class="hash">{key.data.keyRef}</code>
      </p>
      {registered && <p role="status">Registered: your approvals are signed with this key.</p>}
      {!registered && me.key_ref !== undefined && (
        <p class="problem" role="alert">
          Another key ({me.key_ref}) is registered for {me.name}; this browser cannot sign your
          approvals. Register this key to answer from here.
        </p>
      )}
      {!registered && (
        <details open={me.key_ref === undefined && mustSign}>
          <summary>Register this key</summary>
          <p>
            Save the public key below to a file and run (server stopped){' '}
            <code>clearance users key {me.name} FILE</code>.
            {mustSign ? ' Your role requires signed approvals.' : ''}
          </p>
          <pre data-testid="approval-key-pem">{key.data.pem}</pre>
        </details>
      )}
    </section>
  );
}
