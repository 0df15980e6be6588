/**
 * Container logs of the fake cluster's pods: tests (and the demo) append lines, `GET pods/<name>/log` reads them
 * (`tailLines`, `sinceSeconds`, `timestamps`, `limitBytes`, `previous`) and `follow=true` streams new ones until the
 * pod goes away.
 *
 * @module
 */

/** One log line. */
export interface LogLine {
  /** When it was written, ms since the epoch. */
  readonly time: number;
  /** The text, without the trailing newline. */
  readonly text: string;
}

type Listener = (line: LogLine | undefined) => void;

interface ContainerLog {
  current: LogLine[];
  previous: LogLine[];
  readonly listeners: Set<Listener>;
}

/** Log storage of one cluster. */
export class PodLogs {
  readonly #logs = new Map<string, ContainerLog>();
  /** Lines kept per container. */
  readonly maxLines: number;

  constructor(maxLines = 10_000) {
    this.maxLines = maxLines;
  }

  #key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  #log(namespace: string, pod: string, container: string): ContainerLog {
    const key = this.#key(namespace, pod, container);
    let log = this.#logs.get(key);
    if (log === undefined) {
      log = { current: [], previous: [], listeners: new Set() };
      this.#logs.set(key, log);
    }
    return log;
  }

  /** Appends text (split into lines) to a container's log. */
  append(namespace: string, pod: string, container: string, text: string, time: number): void {
    const log = this.#log(namespace, pod, container);
    const parts = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
    for (const t of parts) {
      const line = { time, text: t };
      log.current.push(line);
      for (const l of log.listeners) l(line);
    }
    if (log.current.length > this.maxLines) log.current.splice(0, log.current.length - this.maxLines);
  }

  /** Moves the current log to "previous", as a container restart does. */
  restart(namespace: string, pod: string, container: string): void {
    const log = this.#log(namespace, pod, container);
    log.previous = log.current;
    log.current = [];
  }

  /** The lines of a container (current or previous instance). */
  lines(namespace: string, pod: string, container: string, previous = false): readonly LogLine[] {
    const log = this.#logs.get(this.#key(namespace, pod, container));
    if (log === undefined) return [];
    return previous ? log.previous : log.current;
  }

  /** Calls `listener` for each new line, and with `undefined` when the pod goes away. Returns the unsubscribe. */
  follow(namespace: string, pod: string, container: string, listener: Listener): () => void {
    const log = this.#log(namespace, pod, container);
    log.listeners.add(listener);
    return () => log.listeners.delete(listener);
  }

  /** Forgets a pod's logs and ends its followers. */
  remove(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const [key, log] of this.#logs) {
      if (!key.startsWith(prefix)) continue;
      this.#logs.delete(key);
      for (const l of log.listeners) l(undefined);
      log.listeners.clear();
    }
  }
}
