/**
 * Who we are: kubeconfig loading exactly like kubectl, credential sources (token, token file, exec plugins, client
 * certificates, in-cluster), OpenShift OAuth login, and service-account tokens.
 *
 * @example
 * ```ts
 * import { loadKubeconfig, resolveConnection } from "@kubeshift/auth";
 * const { server, namespace, connection, credentials } = await resolveConnection(await loadKubeconfig());
 * ```
 *
 * @module
 */
export {
  type AuthFileSystem,
  type AuthHost,
  type FileInfo,
  getDefaultAuthHost,
  type ProcessResult,
  type RunProcessOptions,
  systemWallClock,
  type WallClock,
} from "./auth-host.ts";
export {
  type ClientCertificateProviderOptions,
  createClientCertificateProvider,
  type PemSource,
} from "./client-certificate-source.ts";
export {
  createExecCredentialSource,
  type ExecCredential,
  type ExecCredentialSource,
  type ExecCredentialSourceOptions,
} from "./exec-credential-source.ts";
export { type FlattenKubeconfigOptions, flattenKubeconfig } from "./flatten-kubeconfig.ts";
export { type InClusterConfigOptions, inClusterConfig, isInCluster, SERVICE_ACCOUNT_DIR } from "./in-cluster-config.ts";
export { type BoundObject, inspectToken, type ServiceAccountTokenClaims } from "./inspect-token.ts";
export {
  type ExecEnvVar,
  type ExecInteractiveMode,
  emptyKubeconfig,
  type Kubeconfig,
  type KubeconfigAuthProvider,
  type KubeconfigCluster,
  type KubeconfigContext,
  type KubeconfigExec,
  type KubeconfigExtensions,
  type KubeconfigPreferences,
  type KubeconfigUser,
} from "./kubeconfig.ts";
export { KubeconfigError, type KubeconfigErrorOptions, type MissingKubeconfigItem } from "./kubeconfig-error.ts";
export { type LoadConnectionOptions, loadConnection } from "./load-connection.ts";
export {
  type KubeconfigOverrides,
  kubeconfigPrecedence,
  type LoadedKubeconfig,
  type LoadKubeconfigOptions,
  loadKubeconfig,
} from "./load-kubeconfig.ts";
export { clusterNickname, contextNickname, type LoginOptions, type LoginResult, login } from "./login.ts";
export {
  discoverOAuthServer,
  type FetchFunction,
  type LoginWithPasswordOptions,
  loginWithPassword,
  type OAuthServerMetadata,
  type OAuthToken,
} from "./login-with-password.ts";
export { mergeKubeconfigs } from "./merge-kubeconfigs.ts";
export { minifyKubeconfig } from "./minify-kubeconfig.ts";
export { type ParseKubeconfigOptions, parseKubeconfig } from "./parse-kubeconfig.ts";
export {
  getLegacyServiceAccountToken,
  type LegacyServiceAccountToken,
  type LegacyServiceAccountTokenOptions,
  type RequestServiceAccountTokenOptions,
  requestServiceAccountToken,
  type ServiceAccountToken,
} from "./request-service-account-token.ts";
export { type ResolveConnectionOptions, resolveConnection } from "./resolve-connection.ts";
export type { ResolvedConnection } from "./resolved-connection.ts";
export {
  type KubeconfigChanges,
  type SaveKubeconfigOptions,
  type SaveKubeconfigResult,
  saveKubeconfig,
} from "./save-kubeconfig.ts";
export {
  createServiceAccountKeySet,
  type ServiceAccountKeySet,
  type ServiceAccountKeySetOptions,
  type ServiceAccountKeySource,
} from "./service-account-key-set.ts";
export { ServiceAccountTokenError, type ServiceAccountTokenErrorReason } from "./service-account-token-error.ts";
export { createStaticTokenSource } from "./static-token-source.ts";
export { type StringifyKubeconfigOptions, stringifyKubeconfig } from "./stringify-kubeconfig.ts";
export { type JsonObject, type ToKubeconfigObjectOptions, toKubeconfigObject } from "./to-kubeconfig-object.ts";
export { createTokenFileSource, type TokenFileSourceOptions } from "./token-file-source.ts";
export { type VerifyServiceAccountTokenOptions, verifyServiceAccountToken } from "./verify-service-account-token.ts";
export { type OpenShiftUser, type WhoamiOptions, type WhoamiTokenOptions, whoami, whoamiToken } from "./whoami.ts";
