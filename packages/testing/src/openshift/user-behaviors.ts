/**
 * `users/~`: the caller as a User, on both APIs. An OAuth user is the stored User with the groups it has now; anyone
 * else (a client-certificate user, a static token, a service account) gets the virtual User the 3.11 master answers:
 * no stored metadata (`creationTimestamp: null`, the uid only for service accounts), `identities: null`, and the
 * groups sorted.
 *
 * @module
 */
import type { Registry } from "../registry/registry.ts";
import type { ResourceBehavior } from "../registry/resource-behavior.ts";
import { cloneJson } from "../resources/kube-object.ts";

/**
 * The User behaviour.
 *
 * @param registry the registry
 * @returns the behaviour (only `get` of `~` is special)
 */
export function userBehavior(registry: () => Registry): ResourceBehavior {
  return {
    nameRule: "path-segment",
    verbs: {
      get(request) {
        if (request.name !== "~") return undefined;
        const user = request.user;
        const groups = [...user.groups].sort();
        const stored = registry().find(request.resource, "", user.name);
        if (stored !== undefined && user.extra?.["scopes.authorization.openshift.io"] !== undefined) {
          const { managedFields: _m, ...meta } = cloneJson(stored.object.metadata ?? {});
          return {
            status: 200,
            object: { ...cloneJson(stored.object), apiVersion: request.resource.apiVersion, metadata: meta, groups },
          };
        }
        return {
          status: 200,
          object: {
            kind: "User",
            apiVersion: request.resource.apiVersion,
            metadata: {
              name: user.name,
              ...(user.name.startsWith("system:serviceaccount:") && user.uid !== undefined ? { uid: user.uid } : {}),
              creationTimestamp: null,
            },
            identities: null,
            groups,
          },
        };
      },
    },
  };
}
