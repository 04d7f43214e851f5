/**
 * Wire names of Secret-based (legacy) ServiceAccount tokens, as k8s.io/api/core/v1 and
 * pkg/serviceaccount/legacy.go spell them: the Secret type, its annotations and data keys, and the
 * labels that track and invalidate legacy tokens. One definition for the registry, the
 * authenticator and the controllers.
 */
export const serviceAccountTokenType = 'kubernetes.io/service-account-token';
export const serviceAccountNameKey = 'kubernetes.io/service-account.name';
export const serviceAccountUidKey = 'kubernetes.io/service-account.uid';
export const tokenKey = 'token';
export const rootCaKey = 'ca.crt';
export const namespaceKey = 'namespace';
export const lastUsedLabelKey = 'kubernetes.io/legacy-token-last-used';
export const invalidSinceLabelKey = 'kubernetes.io/legacy-token-invalid-since';
