/** New CNC job (#/new-job): the job form, the server's live feasibility, then submit. */
import {
  MATERIAL_HARDNESSES,
  TOOL_TYPES,
  type CncJob,
  type FeasibilityCheck,
  type MaterialHardness,
} from '@clearance/client';
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { MACHINE_IDS } from '../logic/geometry.js';
import {
  DEFAULT_FORM,
  jobFromForm,
  newOperation,
  OPERATION_KINDS,
  type JobForm,
  type OperationForm,
} from '../logic/job-form.js';
import { hrefOf } from '../logic/route.js';
import { Busy, ProblemBox } from '../ui/common.js';
import { useSession } from '../ui/context.js';
import { FeasibilityView } from '../ui/feasibility.js';
import { JobGeometry } from '../ui/job.js';
import { Field, OperationFields } from './operation-fields.js';

const DEBOUNCE_MS = 500;
const HARDNESS: readonly MaterialHardness[] = MATERIAL_HARDNESSES;
const TOOLS: readonly CncJob['tool']['type'][] = TOOL_TYPES;

/** The server's feasibility of `job`, re-checked 500 ms after the last change. */
function useLiveFeasibility(job: CncJob | undefined) {
  const { client } = useSession();
  const [state, setState] = useState<{ result?: FeasibilityCheck; error?: unknown; busy: boolean }>(
    {
      busy: false,
    },
  );
  const key = job === undefined ? '' : JSON.stringify(job);
  useEffect(() => {
    if (job === undefined) return undefined;
    let live = true;
    setState((s) => ({ ...s, busy: true }));
    const timer = window.setTimeout(() => {
      client.feasibility({ job }).then(
        (result) => live && setState({ result, busy: false }),
        (error: unknown) => live && setState({ error, busy: false }),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
    // `key` stands for the job's content: a new object with the same content is not re-checked.
  }, [key]);
  return state;
}

function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <fieldset>
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

/** The New CNC job page. */
export function NewJobPage() {
  const { client } = useSession();
  const [form, setForm] = useState<JobForm>(DEFAULT_FORM);
  const [addKind, setAddKind] = useState<OperationForm['kind']>('rosette');
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<unknown>(undefined);
  const built = useMemo(() => jobFromForm(form), [form]);
  const job = 'job' in built ? built.job : undefined;
  const live = useLiveFeasibility(job);

  const tool = (k: keyof JobForm['tool'], v: string) =>
    setForm({ ...form, tool: { ...form.tool, [k]: v } });
  const cut = (k: keyof JobForm['cutting'], v: string) =>
    setForm({ ...form, cutting: { ...form.cutting, [k]: v } });
  const setOp = (i: number, op: OperationForm) =>
    setForm({ ...form, operations: form.operations.map((o, j) => (j === i ? op : o)) });

  const submit = (e: Event): void => {
    e.preventDefault();
    if (job === undefined) return;
    setSubmitting(true);
    setSubmitError(undefined);
    client
      .proposeJob(job)
      .then((view) => {
        window.location.hash = hrefOf({ page: 'workflow', id: view.workflow.workflow_id });
      }, setSubmitError)
      .finally(() => setSubmitting(false));
  };

  return (
    <section aria-labelledby="new-job-title">
      <h2 id="new-job-title">New CNC job</h2>
      <form onSubmit={submit} aria-busy={submitting}>
        <Section title="Machine and units">
          <div class="field">
            <label for="job-units">Units</label>
            <select
              id="job-units"
              value={form.units}
              onChange={(e) =>
                setForm({ ...form, units: e.currentTarget.value === 'inch' ? 'inch' : 'mm' })
              }
            >
              <option value="mm">mm</option>
              <option value="inch">inch</option>
            </select>
          </div>
          <div class="field">
            <label for="job-machine">Machine</label>
            <select
              id="job-machine"
              value={form.machine}
              onChange={(e) => setForm({ ...form, machine: e.currentTarget.value })}
            >
              {MACHINE_IDS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </div>
        </Section>
        <Section title="Tool">
          <div class="field">
            <label for="tool-type">Tool type</label>
            <select
              id="tool-type"
              value={form.tool.type}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setForm({
                  ...form,
                  tool: { ...form.tool, type: TOOLS.find((t) => t === v) ?? 'flat' },
                });
              }}
            >
              {TOOLS.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <Field
            id="tool-diameter"
            label="Diameter"
            value={form.tool.diameter}
            onValue={(v) => tool('diameter', v)}
          />
          <Field
            id="tool-flutes"
            label="Flutes"
            value={form.tool.flutes}
            onValue={(v) => tool('flutes', v)}
          />
          <Field
            id="tool-flute-length"
            label="Flute length"
            value={form.tool.flute_length}
            onValue={(v) => tool('flute_length', v)}
          />
          <Field
            id="tool-stickout"
            label="Stickout"
            value={form.tool.stickout}
            onValue={(v) => tool('stickout', v)}
          />
        </Section>
        <Section title="Material">
          <Field
            id="material-id"
            label="Material"
            value={form.material.id}
            onValue={(id) => setForm({ ...form, material: { ...form.material, id } })}
          />
          <div class="field">
            <label for="material-hardness">Hardness</label>
            <select
              id="material-hardness"
              value={form.material.hardness}
              onChange={(e) => {
                const v = e.currentTarget.value;
                const hardness = HARDNESS.find((h) => h === v) ?? 'unknown';
                setForm({ ...form, material: { ...form.material, hardness } });
              }}
            >
              {HARDNESS.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </div>
          <Field
            id="material-thickness"
            label="Thickness"
            value={form.material.thickness}
            onValue={(thickness) => setForm({ ...form, material: { ...form.material, thickness } })}
          />
          <div class="field check">
            <input
              id="material-resinous"
              type="checkbox"
              checked={form.material.resinous}
              onChange={(e) =>
                setForm({
                  ...form,
                  material: { ...form.material, resinous: e.currentTarget.checked },
                })
              }
            />
            <label for="material-resinous">Resinous</label>
          </div>
        </Section>
        <Section title="Cutting parameters">
          <Field
            id="cut-stepover"
            label="Stepover (fraction of tool diameter)"
            value={form.cutting.stepover}
            onValue={(v) => cut('stepover', v)}
          />
          <Field
            id="cut-stepdown"
            label="Stepdown"
            value={form.cutting.stepdown}
            onValue={(v) => cut('stepdown', v)}
          />
          <Field
            id="cut-depth"
            label="Final depth"
            value={form.cutting.final_depth}
            onValue={(v) => cut('final_depth', v)}
          />
          <Field
            id="cut-feed-xy"
            label="Feed XY (per minute)"
            value={form.cutting.feed_xy}
            onValue={(v) => cut('feed_xy', v)}
          />
          <Field
            id="cut-feed-z"
            label="Feed Z (per minute)"
            value={form.cutting.feed_z}
            onValue={(v) => cut('feed_z', v)}
          />
          <Field
            id="cut-rpm"
            label="Spindle speed (rpm)"
            value={form.cutting.rpm}
            onValue={(v) => cut('rpm', v)}
          />
          <Field
            id="cut-safe-z"
            label="Safe Z"
            value={form.cutting.safe_z}
            onValue={(v) => cut('safe_z', v)}
          />
          <div class="field check">
            <input
              id="cut-climb"
              type="checkbox"
              checked={form.cutting.climb}
              onChange={(e) =>
                setForm({ ...form, cutting: { ...form.cutting, climb: e.currentTarget.checked } })
              }
            />
            <label for="cut-climb">Climb milling</label>
          </div>
          <div class="field check">
            <input
              id="cut-coolant"
              type="checkbox"
              checked={form.cutting.coolant}
              onChange={(e) =>
                setForm({ ...form, cutting: { ...form.cutting, coolant: e.currentTarget.checked } })
              }
            />
            <label for="cut-coolant">Coolant</label>
          </div>
        </Section>
        <Section title="Operations">
          {form.operations.map((op, i) => (
            <fieldset key={i} class="operation">
              <legend>
                Operation {i + 1}: {OPERATION_KINDS.find(([k]) => k === op.kind)?.[1]}
              </legend>
              <OperationFields op={op} id={`op${String(i)}`} set={(o) => setOp(i, o)} />
              <button
                type="button"
                onClick={() =>
                  setForm({ ...form, operations: form.operations.filter((_, j) => j !== i) })
                }
              >
                Remove operation {i + 1}
              </button>
            </fieldset>
          ))}
          <div class="field">
            <label for="op-kind">Operation to add</label>
            <select
              id="op-kind"
              value={addKind}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setAddKind(OPERATION_KINDS.find(([k]) => k === v)?.[0] ?? 'rosette');
              }}
            >
              {OPERATION_KINDS.map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
            <button
              type="button"
              onClick={() =>
                setForm({ ...form, operations: [...form.operations, newOperation(addKind)] })
              }
            >
              Add operation
            </button>
          </div>
        </Section>
        <section aria-label="Live feasibility" aria-live="polite">
          <h3>Feasibility (computed by the server)</h3>
          {'problems' in built && (
            <ul class="problem" role="alert" aria-label="Fields to fix">
              {built.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          {live.busy && <Busy label="Checking feasibility…" />}
          {!live.busy && live.error !== undefined && <ProblemBox error={live.error} />}
          {!live.busy && live.error === undefined && live.result !== undefined && (
            <FeasibilityView result={live.result} rules={live.result.explanations} />
          )}
        </section>
        {job !== undefined && <JobGeometry job={job} />}
        <p>
          <button type="submit" disabled={job === undefined || submitting}>
            Submit job
          </button>
        </p>
        {submitting && <Busy />}
        {submitError !== undefined && <ProblemBox error={submitError} />}
      </form>
    </section>
  );
}
