// The OpenShift walk-through: what the legacy /oapi/v1 API offers (3.x), a service account, `admin` granted to it in
// its project (as `oc policy add-role-to-user admin system:serviceaccount:<ns>:robot`), its token (TokenRequest, or
// the legacy token secret on 3.x), and a call to the API made with that token.
// Run: node --conditions=@kubeshift/source examples/openshift-service-account.ts   (or deno run -A …)
import { loadConnection } from "@kubeshift/auth";
import { connect } from "@kubeshift/client";
import { isAlreadyExists, isNotFound } from "@kubeshift/transport";
import { ConfigMap } from "@kubeshift/types/core/v1";

const connection = await loadConnection();
const admin = await connect({ connection });
const namespace = admin.namespace;
try {
  const legacy = await admin.discovery.resources("/oapi/v1").catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  console.log(
    legacy === undefined
      ? "no legacy /oapi/v1 API (OpenShift 4 or plain Kubernetes)"
      : `/oapi/v1 serves ${legacy.resources.filter((r) => !r.name.includes("/")).length} resources`,
  );

  await admin.createServiceAccount("robot", { namespace }).catch((error: unknown) => {
    if (!isAlreadyExists(error)) throw error;
  });
  const binding = await admin.policy.addRoleToUser("admin", `system:serviceaccount:${namespace}:robot`, { namespace });
  console.log("bound by", binding.metadata?.name);

  const { token, source } = await admin.getServiceAccountToken("robot", { namespace });
  console.log("token from", source);

  // The same cluster and CA, but the robot's token instead of the kubeconfig user's credentials.
  const { clientCertificate: _ignored, ...tls } = connection.connection;
  const robot = await connect({
    connection: {
      ...connection,
      connection: tls,
      credentials: { getToken: () => Promise.resolve(token) },
      basicAuth: undefined,
    },
  });
  try {
    const { items } = await robot.list(ConfigMap, { namespace });
    console.log(`robot sees ${items.length} config maps in ${namespace}`);
  } finally {
    await robot.close();
  }
} finally {
  await admin.close();
}
