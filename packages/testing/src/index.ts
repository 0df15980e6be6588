/**
 * A fake Kubernetes and OpenShift API server over real sockets that real kubectl talks to, with fault injection and a demo churn generator.
 *
 * @module
 */
export {};
