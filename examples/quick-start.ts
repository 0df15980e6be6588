// The example of packages/client/README.md, verbatim below this header: list pods by label, scale a Deployment with
// a strategic merge patch, server-side apply a ConfigMap, and read the last lines of a pod's log.
// Run: KUBECONFIG=~/.kube/config node --conditions=@kubeshift/source examples/quick-start.ts (or deno run -A …)
import { connect, labels } from "@kubeshift/client";
import { Deployment } from "@kubeshift/types/apps/v1";
import { Pod } from "@kubeshift/types/core/v1";

const client = await connect(); // kubeconfig (or in-cluster), the adapter of the running runtime
try {
  const { items } = await client.list(Pod, { labelSelector: labels({ app: "web" }) });
  for (const pod of items) console.log(pod.metadata?.name, pod.status?.phase);

  const web = await client.patch(Deployment, "web", { spec: { replicas: 3 } }, { type: "strategic" });
  console.log("replicas:", web.spec?.replicas);

  await client.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { k: "v" } });

  const first = items[0]?.metadata?.name;
  if (first !== undefined) for await (const line of await client.log(first, { tailLines: 10 })) console.log(line);
} finally {
  await client.close();
}
