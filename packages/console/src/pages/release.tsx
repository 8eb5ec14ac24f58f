/** A released job: toolpath preview (as an <img> data URL, never inline markup) and G-code download. */
import type { JobRelease } from '@clearance/client';
import { useState } from 'preact/hooks';
import { safeFileName, utf8ToBase64 } from '../logic/format.js';
import { Busy, ProblemBox } from '../ui/common.js';
import { useSession } from '../ui/context.js';

/** Fetch the G-code with the token and save it under its released file name. */
function DownloadGcode({ release }: { release: JobRelease }) {
  const { client } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const download = (): void => {
    setBusy(true);
    setError(undefined);
    client
      .casBytes(release.gcode_sha256)
      .then((bytes) => {
        const url = URL.createObjectURL(new Blob([bytes], { type: 'text/plain' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = safeFileName(release.gcode_file, `${release.gcode_sha256}.nc`);
        document.body.append(a);
        a.click();
        a.remove();
        // Revoked after the click has been handled (the download has its own copy by then).
        window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }, setError)
      .finally(() => setBusy(false));
  };
  return (
    <p>
      <button type="button" onClick={download} disabled={busy}>
        Download G-code
      </button>{' '}
      ({release.gcode_file}
      {release.gcode_lines === undefined ? '' : `, ${String(release.gcode_lines)} lines`})
      {busy && <Busy />}
      {error !== undefined && <ProblemBox error={error} />}
    </p>
  );
}

/** The released toolpath preview and the download. */
export function ReleaseView({ release }: { release: JobRelease }) {
  const src = `data:image/svg+xml;base64,${utf8ToBase64(release.preview_svg)}`;
  return (
    <section aria-label="Released toolpaths">
      <h3>Released toolpaths</h3>
      <figure class="preview">
        <img
          data-testid="toolpath-preview"
          src={src}
          alt="Toolpath preview of the released G-code"
        />
        <figcaption>
          Legend: cuts solid, rapids dashed, plunges dotted; the rectangle is the machine envelope.
        </figcaption>
      </figure>
      <DownloadGcode release={release} />
    </section>
  );
}
