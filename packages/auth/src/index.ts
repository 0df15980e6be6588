/**
 * Who we are: kubeconfig loading exactly like kubectl, credential sources (token, token file, exec plugins, client certificates, in-cluster), OpenShift OAuth login, and service-account tokens.
 *
 * @module
 */
export {};
