/**
 * `WatchError`: a watch that failed in a way that is neither the server's answer (`ApiError`), the network
 * (`TransportError`) nor undecodable bytes (`DecodeError`); today, a watch the server ended at once without an event,
 * which the informer answers with backoff rather than a tight loop of reconnects (client-go's `VeryShortWatchError`).
 *
 * @module
 */
import { KubeError, type KubeErrorCode } from "@kubeshift/transport";

/** Why a watch failed. */
export type WatchErrorReason =
  /** The server ended the watch within a second without sending an event. */
  "short-watch";

/**
 * A watch failure of the informer's own making.
 *
 * @example
 * ```ts
 * import { WatchError } from "@kubeshift/watch";
 * createInformer(client, Pod, { onError: (e) => { if (e instanceof WatchError) console.warn(e.reason); } });
 * ```
 */
export class WatchError extends KubeError {
  static override readonly errorCode: KubeErrorCode = "ERR_WATCH";

  /** Why. */
  readonly reason: WatchErrorReason;

  /**
   * @param reason why the watch failed
   * @param message what happened
   */
  constructor(reason: WatchErrorReason, message: string) {
    super("ERR_WATCH", message);
    this.reason = reason;
  }
}
