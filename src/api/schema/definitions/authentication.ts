/** authentication.k8s.io/v1 (+ v1beta1 SelfSubjectReview) definitions (k8s.io/api/authentication, v0.32). */
import type { ObjectSchema } from '../types.js';
import { bool, int64, kindObj, map, obj, ref, str, strList, time } from './helpers.js';

const a = 'io.k8s.api.authentication.v1.';
const b = 'io.k8s.api.authentication.v1beta1.';

const selfSubjectReviewStatus = obj('SelfSubjectReviewStatus is filled by the kube-apiserver and sent back to a user.', {
  userInfo: ref(a + 'UserInfo', 'User attributes of the user making this request.'),
});

export const authenticationDefinitions: Record<string, ObjectSchema> = {
  [a + 'TokenRequest']: kindObj('TokenRequest requests a token for a given service account.', {
    spec: ref(a + 'TokenRequestSpec', 'Spec holds information about the request being evaluated'),
    status: ref(a + 'TokenRequestStatus', 'Status is filled in by the server and indicates whether the token can be authenticated.'),
  }, ['spec']),
  [a + 'TokenRequestSpec']: obj('TokenRequestSpec contains client provided parameters of a token request.', {
    audiences: strList('Audiences are the intendend audiences of the token. A recipient of a token must identify themself with an identifier in the list of audiences of the token, and otherwise should reject the token. A token issued for multiple audiences may be used to authenticate against any of the audiences listed but implies a high degree of trust between the target audiences.'),
    boundObjectRef: ref(a + 'BoundObjectReference', "BoundObjectRef is a reference to an object that the token will be bound to. The token will only be valid for as long as the bound object exists. NOTE: The API server's TokenReview endpoint will validate the BoundObjectRef, but other audiences may not. Keep ExpirationSeconds small if you want prompt revocation."),
    expirationSeconds: int64("ExpirationSeconds is the requested duration of validity of the request. The token issuer may return a token with a different validity duration so a client needs to check the 'expiration' field in a response."),
  }, ['audiences']),
  [a + 'TokenRequestStatus']: obj('TokenRequestStatus is the result of a token request.', {
    expirationTimestamp: time('ExpirationTimestamp is the time of expiration of the returned token.'),
    token: str('Token is the opaque bearer token.'),
  }, ['token', 'expirationTimestamp']),
  [a + 'BoundObjectReference']: obj('BoundObjectReference is a reference to an object that a token is bound to.', {
    apiVersion: str('API version of the referent.'),
    kind: str("Kind of the referent. Valid kinds are 'Pod' and 'Secret'."),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
  }),
  [a + 'TokenReview']: kindObj('TokenReview attempts to authenticate a token to a known user. Note: TokenReview requests may be cached by the webhook token authenticator plugin in the kube-apiserver.', {
    spec: ref(a + 'TokenReviewSpec', 'Spec holds information about the request being evaluated'),
    status: ref(a + 'TokenReviewStatus', 'Status is filled in by the server and indicates whether the request can be authenticated.'),
  }, ['spec']),
  [a + 'TokenReviewSpec']: obj('TokenReviewSpec is a description of the token authentication request.', {
    audiences: strList('Audiences is a list of the identifiers that the resource server presented with the token identifies as. Audience-aware token authenticators will verify that the token was intended for at least one of the audiences in this list. If no audiences are provided, the audience will default to the audience of the Kubernetes apiserver.'),
    token: str('Token is the opaque bearer token.'),
  }),
  [a + 'TokenReviewStatus']: obj('TokenReviewStatus is the result of the token authentication request.', {
    audiences: strList("Audiences are audience identifiers chosen by the authenticator that are compatible with both the TokenReview and token. An identifier is any identifier in the intersection of the TokenReviewSpec audiences and the token's audiences. A client of the TokenReview API that sets the spec.audiences field should validate that a compatible audience identifier is returned in the status.audiences field to ensure that the TokenReview server is audience aware. If a TokenReview returns an empty status.audience field where status.authenticated is \"true\", the token is valid against the audience of the Kubernetes API server."),
    authenticated: bool('Authenticated indicates that the token was associated with a known user.'),
    error: str("Error indicates that the token couldn't be checked"),
    user: ref(a + 'UserInfo', 'User is the UserInfo associated with the provided token.'),
  }),
  [a + 'UserInfo']: obj('UserInfo holds the information about the user needed to implement the user.Info interface.', {
    extra: map(strList(), 'Any additional information provided by the authenticator.'),
    groups: strList('The names of groups this user is a part of.'),
    uid: str('A unique value that identifies this user across time. If this user is deleted and another user by the same name is added, they will have different UIDs.'),
    username: str('The name that uniquely identifies this user among all active users.'),
  }),
  [a + 'SelfSubjectReview']: kindObj('SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request. When using impersonation, users will receive the user info of the user being impersonated.  If impersonation or request header authentication is used, any extra keys will have their case ignored and returned as lowercase.', {
    status: ref(a + 'SelfSubjectReviewStatus', 'Status is filled in by the server with the user attributes.'),
  }),
  [a + 'SelfSubjectReviewStatus']: selfSubjectReviewStatus,
  [b + 'SelfSubjectReview']: kindObj('SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request. When using impersonation, users will receive the user info of the user being impersonated.  If impersonation or request header authentication is used, any extra keys will have their case ignored and returned as lowercase.', {
    status: ref(b + 'SelfSubjectReviewStatus', 'Status is filled in by the server with the user attributes.'),
  }),
  [b + 'SelfSubjectReviewStatus']: selfSubjectReviewStatus,
};
