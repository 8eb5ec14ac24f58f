/** A job's parameters table and its geometry drawing (envelope, stock, operations). */
import type { AnyJob, JobOperation } from '@clearance/client';
import { jobDrawing, type Shape } from '../logic/geometry.js';

function describe(op: JobOperation): string {
  switch (op.kind) {
    case 'rosette':
      return `rosette at (${String(op.cx)}, ${String(op.cy)}), rings ${op.rings
        .map((r) => `${String(r.inner_radius)}–${String(r.outer_radius)}`)
        .join(', ')}`;
    case 'circular_pocket':
      return `circular pocket at (${String(op.cx)}, ${String(op.cy)}) r ${String(op.radius)}`;
    case 'rect_pocket':
      return `rect pocket at (${String(op.x)}, ${String(op.y)}) ${String(op.width)} × ${String(op.length)}${op.corner_radius ? ` r ${String(op.corner_radius)}` : ''}`;
    case 'profile':
      return `profile (${op.side}) of ${String(op.contour.length)} points`;
    case 'contour_pocket':
      return `contour pocket of ${String(op.contour.length)} points`;
    case 'drill':
      return `drill ${String(op.points.length)} holes${op.peck ? `, peck ${String(op.peck)}` : ''}`;
    case 'dxf':
      return `DXF as ${op.as}${op.layer === undefined ? '' : `, layer ${op.layer}`}`;
  }
}

/** The job's parameters. */
export function JobParams({ job }: { job: AnyJob }) {
  const u = job.units;
  const rows: [string, string][] = [
    ['Units', u],
    ['Machine', job.machine],
    [
      'Tool',
      `${job.tool.type} Ø${String(job.tool.diameter)} ${u}, ${String(job.tool.flutes)} flutes, flute length ${String(job.tool.flute_length)}, stickout ${String(job.tool.stickout)}`,
    ],
    [
      'Material',
      `${job.material.id} (${job.material.hardness}), ${String(job.material.thickness)} ${u}${job.material.resinous ? ', resinous' : ''}`,
    ],
    ['Stepover', String(job.cutting.stepover)],
    [
      'Stepdown / final depth',
      `${String(job.cutting.stepdown)} / ${String(job.cutting.final_depth)} ${u}`,
    ],
    ['Feed XY / Z', `${String(job.cutting.feed_xy)} / ${String(job.cutting.feed_z)} ${u}/min`],
    ['Spindle', `${String(job.cutting.rpm)} rpm`],
    ['Safe Z', `${String(job.cutting.safe_z)} ${u}`],
    ['Climb', job.cutting.climb ? 'yes' : 'no'],
    ...job.operations.map((op, i): [string, string] => [
      `Operation ${String(i + 1)}`,
      describe(op),
    ]),
  ];
  return (
    <table class="params">
      <caption>Job parameters</caption>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ShapeView({ shape }: { shape: Shape }) {
  if (shape.kind === 'circle') {
    return <circle class={`geo-${shape.role}`} cx={shape.cx} cy={shape.cy} r={shape.r} />;
  }
  if (shape.kind === 'rect') {
    return (
      <rect
        class={`geo-${shape.role}`}
        x={shape.x}
        y={shape.y}
        width={shape.width}
        height={shape.height}
        rx={shape.rx}
      />
    );
  }
  return <polygon class="geo-cut" points={shape.points} />;
}

/** The job's geometry in its machine envelope (SVG built from numbers, never from markup). */
export function JobGeometry({ job }: { job: AnyJob }) {
  const d = jobDrawing(job);
  return (
    <figure class="geometry">
      <svg
        data-testid="job-geometry"
        viewBox={d.viewBox}
        role="img"
        aria-label={`Job geometry on ${job.machine}`}
        stroke-width={d.stroke}
      >
        {d.shapes.map((s, i) => (
          <ShapeView key={i} shape={s} />
        ))}
      </svg>
      <figcaption>
        Legend: machine envelope (outer rectangle, dashed grey), stock (dotted), cut geometry (solid
        blue), drill holes (filled). Millimetres, +Y up.
        {!d.envelopeKnown && ' Unknown machine: no envelope drawn.'}
        {d.undrawn > 0 &&
          ` ${String(d.undrawn)} DXF operation(s) are drawn once the server has resolved them.`}
      </figcaption>
    </figure>
  );
}
