/**
 * The service-account tokens controller. On every cluster it fills in token secrets created by hand (type
 * `kubernetes.io/service-account-token` with the `kubernetes.io/service-account.name` annotation: the token, `ca.crt`
 * and `namespace`, plus the account's uid annotation), as Kubernetes 1.24+ still does, and deletes an account's token
 * secrets with it. On an OpenShift 3.x cluster it also gives every new service account what 3.11 gives it: a token
 * secret listed in `.secrets`, and a `kubernetes.io/dockercfg` pull secret (with its own token secret) listed in
 * `.secrets` and `.imagePullSecrets`.
 *
 * @module
 */
import { generateName } from "../registry/object-meta.ts";
import type { Registry, WriteContext } from "../registry/registry.ts";
import { cloneJson, type KubeObject } from "../resources/kube-object.ts";
import type { ServedResource } from "../resources/served-resource.ts";
import { StatusError } from "../server/status-error.ts";
import type { ServiceAccountIssuer } from "./service-account-issuer.ts";

const TOKEN_TYPE = "kubernetes.io/service-account-token";
const SA_NAME = "kubernetes.io/service-account.name";
const SA_UID = "kubernetes.io/service-account.uid";
const CONTEXT: WriteContext = {
  user: { name: "system:serviceaccount:kube-system:tokens-controller", groups: [] },
  dryRun: false,
  fieldManager: "kube-controller-manager",
};

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** Options of {@link TokenController}. */
export interface TokenControllerOptions {
  readonly registry: Registry;
  readonly issuer: ServiceAccountIssuer;
  /** The cluster CA (PEM) put into `ca.crt`. */
  readonly caPem: string | undefined;
  /** Create token and dockercfg secrets for every new service account, as OpenShift 3.x does. */
  readonly legacySecrets: boolean;
  /** The registry host a dockercfg secret holds credentials for (none: `{}`). */
  readonly registryHost: () => string | undefined;
}

/** Watches commits and keeps service-account token secrets. */
export class TokenController {
  readonly #o: TokenControllerOptions;

  /** @param options registry, issuer, CA, whether to make OpenShift 3.x secrets */
  constructor(options: TokenControllerOptions) {
    this.#o = options;
  }

  #resource(plural: string): ServedResource | undefined {
    return this.#o.registry.table.lookup("/api/v1", plural);
  }

  /** Reacts to a committed change (the registry's `onCommit`). */
  onCommit(resource: ServedResource, type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject): void {
    if (resource.storageKey === "/secrets" && type !== "DELETED") this.#secretChanged(object);
    else if (resource.storageKey === "/serviceaccounts") {
      if (type === "ADDED" && this.#o.legacySecrets) this.#provision(object);
      if (type === "DELETED") this.#o.registry.later(() => this.#deleteSecretsOf(object));
    }
  }

  #secretChanged(secret: KubeObject): void {
    if (secret.type !== TOKEN_TYPE) return;
    const annotations = secret.metadata?.annotations ?? {};
    const saName = annotations[SA_NAME];
    const data = (secret.data ?? {}) as Record<string, string>;
    if (saName === undefined || (data.token ?? "") !== "") return;
    const namespace = secret.metadata?.namespace ?? "";
    const name = secret.metadata?.name ?? "";
    const sa = this.#find("serviceaccounts", namespace, saName);
    if (sa === undefined) return;
    const saUid = sa.metadata?.uid ?? "";
    void this.#o.issuer
      .issueLegacy({ namespace, serviceAccount: saName, serviceAccountUid: saUid, secretName: name })
      .then((token) =>
        this.#o.registry.later(() => {
          const secrets = this.#resource("secrets");
          const current = secrets === undefined ? undefined : this.#o.registry.find(secrets, namespace, name);
          if (secrets === undefined || current === undefined) return;
          const next = cloneJson(current.object);
          next.metadata = {
            ...next.metadata,
            annotations: { ...(next.metadata?.annotations ?? {}), [SA_UID]: saUid },
          };
          next.data = {
            ...((next.data ?? {}) as Record<string, string>),
            ...(this.#o.caPem === undefined ? {} : { "ca.crt": base64(this.#o.caPem) }),
            namespace: base64(namespace),
            token: base64(token),
          };
          this.#write(() => this.#o.registry.updateFrom(secrets, current, next, CONTEXT));
        }),
      )
      .catch(() => undefined);
  }

  #find(plural: string, namespace: string, name: string): KubeObject | undefined {
    const resource = this.#resource(plural);
    return resource === undefined ? undefined : this.#o.registry.find(resource, namespace, name)?.object;
  }

  #write(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // The namespace or the account went away meanwhile, as a controller's write can race.
      if (!(e instanceof StatusError)) throw e;
    }
  }

  /** OpenShift 3.x: a token secret and a dockercfg secret (with its own token secret) for a new account. */
  #provision(sa: KubeObject): void {
    const namespace = sa.metadata?.namespace ?? "";
    const saName = sa.metadata?.name ?? "";
    const saUid = sa.metadata?.uid ?? "";
    const tokenName = generateName(`${saName}-token-`);
    const dockerTokenName = generateName(`${saName}-token-`);
    const dockercfgName = generateName(`${saName}-dockercfg-`);
    const issue = (secretName: string): Promise<string> =>
      this.#o.issuer.issueLegacy({ namespace, serviceAccount: saName, serviceAccountUid: saUid, secretName });
    void Promise.all([issue(tokenName), issue(dockerTokenName)])
      .then(([token, dockerToken]) =>
        this.#o.registry.later(() => {
          const secrets = this.#resource("secrets");
          const accounts = this.#resource("serviceaccounts");
          if (secrets === undefined || accounts === undefined) return;
          const current = this.#o.registry.find(accounts, namespace, saName);
          if (current === undefined || current.object.metadata?.uid !== saUid) return;
          const tokenSecret = (name: string, value: string, extra: Record<string, string>): KubeObject => ({
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name, namespace, annotations: { ...extra, [SA_NAME]: saName, [SA_UID]: saUid } },
            type: TOKEN_TYPE,
            data: {
              ...(this.#o.caPem === undefined
                ? {}
                : { "ca.crt": base64(this.#o.caPem), "service-ca.crt": base64(this.#o.caPem) }),
              namespace: base64(namespace),
              token: base64(value),
            },
          });
          const host = this.#o.registryHost();
          const dockercfg =
            host === undefined
              ? {}
              : {
                  [host]: {
                    username: "serviceaccount",
                    password: dockerToken,
                    email: "serviceaccount@example.org",
                    auth: base64(`serviceaccount:${dockerToken}`),
                  },
                };
          this.#write(() => {
            this.#o.registry.create(secrets, namespace, tokenSecret(tokenName, token, {}), CONTEXT);
            this.#o.registry.create(
              secrets,
              namespace,
              tokenSecret(dockerTokenName, dockerToken, {
                "kubernetes.io/created-by": "openshift.io/create-dockercfg-secrets",
              }),
              CONTEXT,
            );
            this.#o.registry.create(
              secrets,
              namespace,
              {
                apiVersion: "v1",
                kind: "Secret",
                metadata: {
                  name: dockercfgName,
                  namespace,
                  annotations: {
                    [SA_NAME]: saName,
                    [SA_UID]: saUid,
                    "openshift.io/token-secret.name": dockerTokenName,
                    "openshift.io/token-secret.value": dockerToken,
                  },
                },
                type: "kubernetes.io/dockercfg",
                data: { ".dockercfg": base64(JSON.stringify(dockercfg)) },
              },
              CONTEXT,
            );
            const latest = this.#o.registry.find(accounts, namespace, saName);
            if (latest === undefined) return;
            const next = cloneJson(latest.object);
            const listed = Array.isArray(next.secrets) ? (next.secrets as { name: string }[]) : [];
            next.secrets = [...listed, { name: tokenName }, { name: dockercfgName }];
            const pulls = Array.isArray(next.imagePullSecrets) ? (next.imagePullSecrets as { name: string }[]) : [];
            next.imagePullSecrets = [...pulls, { name: dockercfgName }];
            this.#o.registry.updateFrom(accounts, latest, next, CONTEXT);
          });
        }),
      )
      .catch(() => undefined);
  }

  #deleteSecretsOf(sa: KubeObject): void {
    const secrets = this.#resource("secrets");
    if (secrets === undefined) return;
    const namespace = sa.metadata?.namespace ?? "";
    for (const entry of this.#o.registry.storage.list(secrets.storageKey, { namespace }).items) {
      const a = entry.object.metadata?.annotations ?? {};
      if (a[SA_NAME] === sa.metadata?.name && a[SA_UID] === sa.metadata?.uid)
        this.#o.registry.systemDelete(secrets, entry, "Background");
    }
  }
}
