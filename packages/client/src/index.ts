/**
 * Typed REST verbs, discovery, dynamic resources and server-side printing for Kubernetes and OpenShift.
 *
 * @example
 * ```ts
 * import { createClient, labels } from "@kubeshift/client";
 * import { Pod } from "@kubeshift/types/core/v1";
 * const client = createClient({ transport, server: "https://127.0.0.1:6443" });
 * const pods = await client.list(Pod, { namespace: "dev", labelSelector: labels({ app: "web" }) });
 * ```
 *
 * @module
 */
export {
  Client,
  type ClientOptions,
  createClient,
  type PolicyCommands,
  type ResourceUrlOptions,
  type SendInit,
} from "./client.ts";
export { type ConnectOptions, connect, runtimeAdapter, type TransportAdapter } from "./connect.ts";
export {
  AGGREGATED_DISCOVERY_ACCEPT,
  apiPathOf,
  type DiscoveredResource,
  Discovery,
  type DiscoveryCallOptions,
  type DiscoveryRequester,
  type FailedGroupVersion,
  type ServerResources,
} from "./discovery.ts";
export type {
  ApiGroup,
  ApiGroupDiscovery,
  ApiGroupDiscoveryList,
  ApiGroupList,
  ApiResource,
  ApiResourceDiscovery,
  ApiResourceList,
  ApiSubresourceDiscovery,
  ApiVersionDiscovery,
  ApiVersions,
  GroupVersionForDiscovery,
  GroupVersionKind,
  VersionInfo,
} from "./discovery-types.ts";
export { type FieldSelectorInput, formatFieldSelector } from "./field-selector.ts";
export type { KubeList, KubeObject, ListMeta, ListResult, ObjectMeta, ObjectResult } from "./kube-object.ts";
export {
  formatLabelSelector,
  LabelSelector,
  type LabelSelectorInput,
  type LabelSelectorObject,
  type LabelSelectorRequirement,
  labels,
} from "./label-selector.ts";
export type {
  AddRoleToUserOptions,
  NewProjectOptions,
  ServiceAccountToken,
  ServiceAccountTokenOptions,
} from "./openshift.ts";
export type {
  ApplyOptions,
  CallOptions,
  CreateOptions,
  DeleteCollectionOptions,
  DeleteOptions,
  GetOptions,
  IterateOptions,
  ListOptions,
  NamespaceOptions,
  PatchOptions,
  PatchType,
  Preconditions,
  ReplaceOptions,
  SelectorOptions,
  WriteOptions,
} from "./options.ts";
export { type LogOptions, logLines, logQuery } from "./pod-log.ts";
export { type DescriptorSource, ResourceClient } from "./resource-client.ts";
export { type MapperCallOptions, ResourceMapper, type ResourceMapperOptions, type TypeRef } from "./resource-mapper.ts";
export { checkPathSegment, type PathDescriptor, type ResourcePathOptions, resourcePath } from "./resource-path.ts";
export type { EvictOptions, Scale } from "./subresource-types.ts";
export {
  humanAge,
  isTable,
  type PartialObjectMetadata,
  TABLE_ACCEPT,
  type Table,
  type TableColumnDefinition,
  type TableOptions,
  type TableRow,
  type TableRowCondition,
  tableFromObjects,
} from "./table.ts";
