/**
 * A fake Kubernetes (and, with `openshift`, OpenShift) API server over real sockets that real kubectl, oc-style
 * clients and skopeo talk to: RBAC, service-account and OAuth tokens, an image registry face, fault injection and a
 * demo churn generator. Start one with {@link startFakeCluster}; reach it with its kubeconfig, its URL and CA, or
 * change its objects directly through `cluster.store`.
 *
 * @example
 * ```ts
 * import { startFakeCluster } from "@kubeshift/testing";
 * await using cluster = await startFakeCluster();
 * cluster.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "default" } });
 * ```
 *
 * @module
 */
export type {
  AuthenticationRequest,
  AuthenticationResult,
  Authenticator,
  FakeUser,
  PeerCertificate,
} from "./auth/authenticator.ts";
export {
  type AuthorizationAttributes,
  type AuthorizationDecision,
  type Authorizer,
  allowAuthenticated,
} from "./auth/authorizer.ts";
export type { UserInfo } from "./auth/user-info.ts";
export { type Clock, createManualClock, type ManualClock, systemClock } from "./clock.ts";
export {
  ClusterStore,
  type StoreDeleteOptions,
  type StoreListOptions,
  type StoreWriteOptions,
  type TypeRef,
} from "./cluster-store.ts";
export { type Demo, type DemoOptions, startDemo } from "./demo/start-demo.ts";
export type { FaultHandle, Faults } from "./faults/fault-registry.ts";
export type { FaultMatch, FaultRule, InjectedError, Matcher } from "./faults/fault-rule.ts";
export { type BuildKubeconfigOptions, buildKubeconfig, type KubeconfigCredentials } from "./kubeconfig.ts";
export type { IdentityProviderOptions } from "./openshift/oauth-server.ts";
export type { OpenShiftOptions } from "./openshift/openshift-layer.ts";
export type { VersionInfo } from "./server/api-server.ts";
export type { ServerSettings } from "./server/handler-context.ts";
export type { WatchListMode } from "./server/list-options.ts";
export {
  type FakeCluster,
  type FakeClusterOptions,
  type FakeImageRegistry,
  type FakeKubeconfig,
  startFakeCluster,
} from "./start-fake-cluster.ts";
export type { CertificatePem, ClientCertificateOptions } from "./tls/certificate-authority.ts";
