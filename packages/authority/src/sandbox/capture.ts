import { createHash } from 'node:crypto';
/** Bounded capture of an engine output stream. */

/** Keeps the first `cap` bytes of a stream and remembers whether more arrived. */
export class CappedSink {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private over = false;

  constructor(private readonly cap: number) {}

  /** Add a chunk; returns true when this chunk pushed the stream past the cap. */
  push(chunk: Buffer): boolean {
    const room = this.cap - this.kept;
    if (chunk.length <= room) {
      this.chunks.push(chunk);
      this.kept += chunk.length;
      return false;
    }
    if (room > 0) this.chunks.push(chunk.subarray(0, room));
    this.kept = this.cap;
    const first = !this.over;
    this.over = true;
    return first;
  }

  /** True once more than `cap` bytes arrived. */
  get overflowed(): boolean {
    return this.over;
  }

  /** The kept bytes, at most `cap`. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.kept);
  }
}

/** Longest stderr excerpt kept in an audit message. */
export const STDERR_EXCERPT_BYTES = 2000;

/**
 * Engine stderr as it may be recorded (U5): its SHA-256 and length, plus a printable excerpt of
 * at most {@link STDERR_EXCERPT_BYTES}. The caller passes stderr already scrubbed of secret values;
 * the verbatim stream is never written to the signed log.
 */
export function stderrSummary(stderr: Buffer): string {
  const hash = createHash('sha256').update(stderr).digest('hex');
  const excerpt = stderr
    .subarray(0, STDERR_EXCERPT_BYTES)
    .toString('utf8')
    .replace(/[^\x20-\x7e\n]/g, '?');
  return `sha256 ${hash}, ${stderr.length} bytes; excerpt: ${excerpt}`;
}
