/**
 * Docker image references as `github.com/docker/distribution/reference` parses them (what OpenShift validates
 * `dockerImageReference` with): `[host[:port]/]path[:tag][@digest]`.
 *
 * @module
 */

/** A parsed reference. */
export interface ImageReference {
  /** Registry host (with port), `""` when none was given. */
  readonly registry: string;
  /** Repository path (`ns/name`). */
  readonly path: string;
  /** Tag, `""` when none. */
  readonly tag: string;
  /** Digest (`sha256:…`), `""` when none. */
  readonly digest: string;
}

const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*";
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?)`;
const REFERENCE = new RegExp(
  `^(?:(${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

/**
 * Parses a reference.
 *
 * @param text the reference
 * @returns its parts, or `undefined` for an invalid reference (the server's "invalid reference format")
 */
export function parseImageReference(text: string): ImageReference | undefined {
  const m = REFERENCE.exec(text);
  if (m === null) return undefined;
  let registry = m[1] ?? "";
  let path = m[2] ?? "";
  // A first component without a dot or port is a path, not a host (distribution's splitDomain rule).
  if (registry !== "" && !registry.includes(".") && !registry.includes(":") && registry !== "localhost") {
    path = `${registry}/${path}`;
    registry = "";
  }
  return { registry, path, tag: m[3] ?? "", digest: m[4] ?? "" };
}
