/**
 * Enter on a row: the object as YAML (`kubectl get -o yaml`, managedFields hidden as kubectl hides them), read from
 * the server, and read again whenever the row's resourceVersion changes while it is shown.
 *
 * @module
 */
import type { DiscoveredResource } from "@kubeshift/client";
import { stripManagedFields } from "@kubeshift/watch";
import { Text } from "ink";
import { type ReactElement, useEffect, useState } from "react";
import { stringify } from "yaml";
import { shortFailure } from "./explain-failure.ts";
import { h } from "./h.ts";
import { ScrollView } from "./scroll-view.ts";
import type { WatchSession } from "./watch-session.ts";

/** The object a pane is about. */
export interface ObjectTarget {
  readonly resource: DiscoveredResource;
  readonly name: string;
  readonly namespace: string | undefined;
}

/** Props of {@link YamlView}. */
export interface YamlViewProps {
  readonly session: WatchSession;
  readonly target: ObjectTarget;
  /** The row's resourceVersion: a change reads the object again. */
  readonly resourceVersion: string | undefined;
  readonly height: number;
  readonly color: boolean;
  readonly onClose: () => void;
}

function paintYaml(line: string): ReactElement | undefined {
  const m = /^(\s*(?:- )?)([^\s:][^:]*:)(\s.*|)$/.exec(line);
  if (m === null) return undefined;
  return h(Text, null, m[1], h(Text, { color: "cyan" }, m[2]), m[3]);
}

/**
 * The YAML pane.
 *
 * @param props session, object, height, close
 * @returns the element
 * @example
 * ```ts
 * h(YamlView, { session, target: { resource, name: "web", namespace: "dev" }, resourceVersion, height, color, onClose });
 * ```
 */
export function YamlView(props: YamlViewProps): ReactElement {
  const { session, target } = props;
  const [text, setText] = useState<{ lines: string[]; error?: string } | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the resourceVersion is the reason to read again
  useEffect(() => {
    const abort = new AbortController();
    const options = {
      signal: abort.signal,
      ...(target.resource.namespaced && target.namespace !== undefined ? { namespace: target.namespace } : {}),
    };
    session.client.get(target.resource, target.name, options).then(
      (object) => {
        setText({ lines: stringify(stripManagedFields(object), { lineWidth: 0 }).trimEnd().split("\n") });
      },
      (error: unknown) => {
        if (!abort.signal.aborted) setText({ lines: [], error: shortFailure(error) });
      },
    );
    return () => abort.abort();
  }, [session, target, props.resourceVersion]);
  const title = `${target.resource.singular || target.resource.kind.toLowerCase()} ${target.namespace === undefined ? "" : `${target.namespace}/`}${target.name}`;
  const lines = text === undefined ? ["loading…"] : text.error !== undefined ? [`error: ${text.error}`] : text.lines;
  return h(ScrollView, {
    title: `${title} (YAML)`,
    lines,
    height: props.height,
    paint: props.color ? paintYaml : undefined,
    onClose: props.onClose,
  });
}
