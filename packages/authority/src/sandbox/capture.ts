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
