/**
 * In-memory content store of the registry face: blobs by digest, manifests by digest (bytes and media type), and
 * blob uploads in progress.
 *
 * @module
 */

/** A stored manifest. */
export interface StoredManifest {
  readonly bytes: Uint8Array;
  readonly mediaType: string;
}

/** The SHA-256 digest of bytes, `sha256:<hex>`. */
export async function sha256Digest(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return `sha256:${[...hash].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Blobs, manifests and uploads. */
export class BlobStore {
  readonly #blobs = new Map<string, Uint8Array>();
  readonly #manifests = new Map<string, StoredManifest>();
  readonly #uploads = new Map<string, Uint8Array[]>();

  /** A blob, if stored. */
  blob(digest: string): Uint8Array | undefined {
    return this.#blobs.get(digest);
  }

  /** Stores a blob under its digest. */
  putBlob(digest: string, bytes: Uint8Array): void {
    this.#blobs.set(digest, bytes);
  }

  /** A manifest, if stored. */
  manifest(digest: string): StoredManifest | undefined {
    return this.#manifests.get(digest);
  }

  /** Stores a manifest under its digest. */
  putManifest(digest: string, manifest: StoredManifest): void {
    this.#manifests.set(digest, manifest);
  }

  /** Starts an upload; returns its id. */
  startUpload(): string {
    const id = crypto.randomUUID();
    this.#uploads.set(id, []);
    return id;
  }

  /** Appends to an upload; returns its size, or `undefined` when it does not exist. */
  append(id: string, bytes: Uint8Array): number | undefined {
    const chunks = this.#uploads.get(id);
    if (chunks === undefined) return undefined;
    if (bytes.length > 0) chunks.push(bytes);
    return chunks.reduce((n, c) => n + c.length, 0);
  }

  /** Size of an upload, or `undefined`. */
  uploadSize(id: string): number | undefined {
    return this.#uploads.get(id)?.reduce((n, c) => n + c.length, 0);
  }

  /** Ends an upload and returns its bytes, or `undefined` when it does not exist. */
  finish(id: string): Uint8Array | undefined {
    const chunks = this.#uploads.get(id);
    if (chunks === undefined) return undefined;
    this.#uploads.delete(id);
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** Cancels an upload. */
  cancel(id: string): boolean {
    return this.#uploads.delete(id);
  }
}
