/**
 * The terminal watcher kubeshift-watch: a live, k9s-like view of a cluster, built on @kubeshift/watch.
 *
 * @module
 */
export {};
