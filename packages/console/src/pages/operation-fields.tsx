/** The fields of one operation of the New CNC job form. */
import type { ProfileSide } from '@clearance/client';
import type { OperationForm } from '../logic/job-form.js';

const SIDES: readonly ProfileSide[] = ['inside', 'outside', 'on'];

/** A labelled text input. */
export function Field(props: {
  id: string;
  label: string;
  value: string;
  onValue: (v: string) => void;
  hint?: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        value={props.value}
        inputMode="decimal"
        onInput={(e) => props.onValue(e.currentTarget.value)}
        {...(props.hint === undefined ? {} : { 'aria-describedby': `${props.id}-hint` })}
      />
      {props.hint !== undefined && (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}

function SideSelect(props: { id: string; value: ProfileSide; onValue: (v: ProfileSide) => void }) {
  return (
    <div class="field">
      <label for={props.id}>Side</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => {
          const v = e.currentTarget.value;
          props.onValue(SIDES.find((s) => s === v) ?? 'on');
        }}
      >
        {SIDES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Editable fields of `op`; `set` replaces the operation. */
export function OperationFields({
  op,
  id,
  set,
}: {
  op: OperationForm;
  id: string;
  set: (op: OperationForm) => void;
}) {
  const text = (key: string, label: string, value: string, hint?: string) => (
    <Field
      id={`${id}-${key}`}
      label={label}
      value={value}
      onValue={(v) => set({ ...op, [key]: v })}
      {...(hint === undefined ? {} : { hint })}
    />
  );
  switch (op.kind) {
    case 'rosette':
      return (
        <>
          {text('cx', 'Centre X', op.cx)}
          {text('cy', 'Centre Y', op.cy)}
          {text('rings', 'Rings', op.rings, 'inner-outer radius pairs, e.g. 40-43, 46-48')}
        </>
      );
    case 'circular_pocket':
      return (
        <>
          {text('cx', 'Centre X', op.cx)}
          {text('cy', 'Centre Y', op.cy)}
          {text('radius', 'Radius', op.radius)}
        </>
      );
    case 'rect_pocket':
      return (
        <>
          {text('x', 'X (lower left)', op.x)}
          {text('y', 'Y (lower left)', op.y)}
          {text('width', 'Width', op.width)}
          {text('length', 'Length', op.length)}
          {text('corner_radius', 'Corner radius (optional)', op.corner_radius)}
        </>
      );
    case 'profile':
      return (
        <>
          {text('points', 'Contour points', op.points, 'x,y; x,y; … (closed automatically)')}
          <SideSelect id={`${id}-side`} value={op.side} onValue={(side) => set({ ...op, side })} />
        </>
      );
    case 'drill':
      return (
        <>
          {text('points', 'Hole points', op.points, 'x,y; x,y; …')}
          {text('peck', 'Peck depth (optional)', op.peck)}
        </>
      );
    case 'dxf':
      return <DxfFields op={op} id={id} set={set} />;
  }
}

function DxfFields({
  op,
  id,
  set,
}: {
  op: Extract<OperationForm, { kind: 'dxf' }>;
  id: string;
  set: (op: OperationForm) => void;
}) {
  return (
    <>
      <div class="field">
        <label for={`${id}-file`}>DXF file (ASCII)</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".dxf"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file === undefined) return;
            file.text().then(
              (dxf) => set({ ...op, dxf, fileName: file.name }),
              () => set({ ...op, dxf: '', fileName: '' }),
            );
          }}
        />
        {op.fileName !== '' && <small class="hint">Loaded {op.fileName}</small>}
      </div>
      <div class="field">
        <label for={`${id}-as`}>Use as</label>
        <select
          id={`${id}-as`}
          value={op.as}
          onChange={(e) =>
            set({ ...op, as: e.currentTarget.value === 'profile' ? 'profile' : 'pocket' })
          }
        >
          <option value="pocket">pockets</option>
          <option value="profile">profiles</option>
        </select>
      </div>
      {op.as === 'profile' && (
        <SideSelect id={`${id}-side`} value={op.side} onValue={(side) => set({ ...op, side })} />
      )}
      <Field
        id={`${id}-layer`}
        label="Layer (optional)"
        value={op.layer}
        onValue={(layer) => set({ ...op, layer })}
      />
    </>
  );
}
