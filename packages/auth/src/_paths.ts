/**
 * File-path arithmetic without `node:path`, so the loader stays runtime-neutral: what client-go does with
 * `filepath.Dir`, `filepath.IsAbs` and `filepath.Join` (which also cleans `.` and `..`).
 *
 * @module
 */

/** Which path rules apply. */
export type PathFlavor = "posix" | "windows";

function isWindowsAbsolute(path: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(path) || /^[\\/]{2}[^\\/]/.test(path);
}

/**
 * Whether a path is absolute.
 *
 * @param path the path
 * @param flavor posix or windows rules
 * @returns `true` for `/x` (posix) or `C:\x`, `\\server\share` (windows)
 */
export function isAbsolutePath(path: string, flavor: PathFlavor): boolean {
  return flavor === "windows" ? isWindowsAbsolute(path) : path.startsWith("/");
}

/**
 * Go's `filepath.Clean`: collapses separators, `.` and `..`.
 *
 * @param path the path
 * @param flavor posix or windows rules
 * @returns the cleaned path (`.` for an empty one)
 */
export function cleanPath(path: string, flavor: PathFlavor): string {
  const sep = flavor === "windows" ? "\\" : "/";
  let p = flavor === "windows" ? path.replaceAll("/", "\\") : path;
  let root = "";
  if (flavor === "windows") {
    const drive = /^[A-Za-z]:/.exec(p);
    if (drive !== null) {
      root = drive[0];
      p = p.slice(2);
    }
  }
  const absolute = p.startsWith(sep);
  const out: string[] = [];
  for (const part of p.split(sep)) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(part);
  }
  const body = out.join(sep);
  if (absolute) return `${root}${sep}${body}`;
  return `${root}${body}` || ".";
}

/**
 * Go's `filepath.Dir`.
 *
 * @param path the path
 * @param flavor posix or windows rules
 * @returns the folder holding `path`
 */
export function dirnamePath(path: string, flavor: PathFlavor): string {
  const p = flavor === "windows" ? path.replaceAll("/", "\\") : path;
  const sep = flavor === "windows" ? "\\" : "/";
  const i = p.lastIndexOf(sep);
  if (i < 0) return flavor === "windows" && /^[A-Za-z]:/.test(p) ? p.slice(0, 2) : ".";
  return cleanPath(p.slice(0, i + 1), flavor);
}

/**
 * Joins and cleans path parts (Go's `filepath.Join`).
 *
 * @param flavor posix or windows rules
 * @param parts the parts
 * @returns the joined path
 */
export function joinPath(flavor: PathFlavor, ...parts: readonly string[]): string {
  const sep = flavor === "windows" ? "\\" : "/";
  const nonEmpty = parts.filter((p) => p !== "");
  return nonEmpty.length === 0 ? "" : cleanPath(nonEmpty.join(sep), flavor);
}

/**
 * Resolves a path written in a kubeconfig against the folder of the file that names it, like client-go's
 * `ResolvePaths`; absolute paths and empty strings are returned unchanged.
 *
 * @param path the path as written
 * @param origin the kubeconfig file it came from (absolute)
 * @param flavor posix or windows rules
 * @returns an absolute path
 */
export function resolveAgainstOrigin(path: string, origin: string | undefined, flavor: PathFlavor): string {
  if (path === "" || isAbsolutePath(path, flavor) || origin === undefined) return path;
  return joinPath(flavor, dirnamePath(origin, flavor), path);
}
