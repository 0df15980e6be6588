/**
 * The service-account token functions of `@kubeshift/auth`, which the client's `getServiceAccountToken` delegates
 * to; imported on demand so that a program that never asks for a token never loads auth.
 *
 * @module
 */
export { getLegacyServiceAccountToken, requestServiceAccountToken } from "@kubeshift/auth";
