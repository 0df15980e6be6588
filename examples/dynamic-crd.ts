// A custom resource without generated types: create its CRD, then use the dynamic client found through discovery.
// Run: node --conditions=@kubeshift/source examples/dynamic-crd.ts   (or deno run -A …)
import { connect } from "@kubeshift/client";
import { isAlreadyExists } from "@kubeshift/transport";
import { CustomResourceDefinition } from "@kubeshift/types/apiextensions.k8s.io/v1";

const client = await connect();
try {
  await client
    .create(CustomResourceDefinition, {
      metadata: { name: "widgets.example.com" },
      spec: {
        group: "example.com",
        names: { kind: "Widget", plural: "widgets", singular: "widget", shortNames: ["wd"] },
        scope: "Namespaced",
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          },
        ],
      },
    })
    .catch((error: unknown) => {
      if (!isAlreadyExists(error)) throw error;
    });

  const widgets = client.dynamic({ apiVersion: "example.com/v1", kind: "Widget" });
  await widgets.create({ metadata: { name: "w1" }, spec: { size: 3 } });
  await widgets.patch("w1", { spec: { size: 5 } });
  for (const w of (await widgets.list()).items) console.log(w.metadata?.name, JSON.stringify(w.spec));
  console.log("short name wd →", (await client.mapper.find("wd")).plural);
  await widgets.delete("w1");
} finally {
  await client.close();
}
