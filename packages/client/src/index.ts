/**
 * Typed REST verbs, discovery, dynamic resources and server-side printing for Kubernetes and OpenShift.
 *
 * @module
 */
export {};
