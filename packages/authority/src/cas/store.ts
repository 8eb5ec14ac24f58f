/**
 * The content-addressed store interface. Blobs are named by the SHA-256 of their exact bytes,
 * written once and never changed; every read re-verifies the hash.
 */

/** Lowercase hex SHA-256 of a blob's bytes. */
export type ContentAddress = string;

/** What `put` returns: the address and size of the stored bytes. */
export interface BlobRef {
  readonly address: ContentAddress;
  readonly size: number;
  /** False when identical bytes were already stored (the existing blob was verified instead). */
  readonly created: boolean;
}

/**
 * A write-once blob store. Callers never choose an address: `put` computes it from the bytes, so a
 * write of different bytes under an existing address cannot be expressed.
 */
export interface ContentStore {
  /** Store bytes durably (fsync before resolving) and return their address. */
  put(bytes: Uint8Array): Promise<BlobRef>;
  /** Stream a file into the store without holding it in memory. */
  putFile(path: string): Promise<BlobRef>;
  /** Read a blob; throws CAS_NOT_FOUND, or CAS_CORRUPT when the bytes no longer match. */
  get(address: ContentAddress): Promise<Buffer>;
  /** True when a blob exists at the address (its content is not verified). */
  has(address: ContentAddress): Promise<boolean>;
  /** Re-hash a stored blob; throws CAS_NOT_FOUND or CAS_CORRUPT. */
  verify(address: ContentAddress): Promise<BlobRef>;
}
