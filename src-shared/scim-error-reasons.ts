/**
 * The reference backend's machine reason for every SCIM error it answers. The SCIM error body
 * keeps RFC 7644 §3.12's members (`schemas`, `status`, `scimType`, `detail`) and adds one
 * extension member, `reason`, holding one of these codes; the provisioning event records it as
 * `error.reason`. Code branches on the reason, people read the `detail`: the sentence may be
 * reworded at any time, a reason code only ever gains siblings.
 *
 * The same list is documented in resources/admin-api.openapi.yaml (`ScimErrorReason`); a test
 * keeps the two in step.
 */
export const scimErrorReasons = {
  'auth.no_token': 'The request carried no Authorization header.',
  'auth.bearer_doubled':
    'A registered, active token was sent as "Bearer Bearer <token>": "Bearer " was pasted into the IdP\'s token field.',
  'auth.bearer_doubled_revoked':
    'A revoked token was sent as "Bearer Bearer <token>": both the pasted scheme and the token are wrong.',
  'auth.scheme_missing':
    'A registered, active token was sent without the "Bearer " scheme (the bare token in the header).',
  'auth.scheme_missing_revoked': 'A revoked token was sent without the "Bearer " scheme.',
  'auth.scheme_wrong':
    'A registered, active token was sent with another scheme or shape than "Bearer <token>" (such as Basic).',
  'auth.header_malformed':
    'The Authorization header is not "Bearer <token>" and holds no active token of any tenant.',
  'auth.token_revoked': 'The bearer token was registered but has been revoked.',
  'auth.token_unknown': 'The bearer token is not registered with any tenant.',
  'request.rate_limited': "The tenant's rate limit was exceeded; the response carries Retry-After.",
  'request.no_endpoint': 'No SCIM endpoint at that path.',
  'request.method_not_allowed': 'The endpoint does not support that method.',
  'request.media_type': 'The Content-Type is neither application/scim+json nor application/json.',
  'request.body_too_large': "The request body exceeds the server's body limit.",
  'resource.not_found': 'No such resource (user, group, schema or resource type) in this tenant.',
  'resource.version_mismatch': 'If-Match names another version than the current one.',
  'scim.invalid_filter': 'RFC 7644 scimType invalidFilter: the filter is malformed or unsupported.',
  'scim.too_many': 'RFC 7644 scimType tooMany.',
  'scim.uniqueness': 'RFC 7644 scimType uniqueness: a unique attribute (userName) is taken.',
  'scim.mutability': 'RFC 7644 scimType mutability: a read-only or immutable attribute.',
  'scim.invalid_syntax': 'RFC 7644 scimType invalidSyntax: the body or request is malformed.',
  'scim.invalid_path': 'RFC 7644 scimType invalidPath: a PATCH path is malformed or unknown.',
  'scim.no_target': 'RFC 7644 scimType noTarget: a PATCH path matched nothing.',
  'scim.invalid_value': 'RFC 7644 scimType invalidValue: an attribute has a wrong type or value.',
  'scim.invalid_vers': 'RFC 7644 scimType invalidVers.',
  'scim.sensitive': 'RFC 7644 scimType sensitive.',
  'server.internal': 'The server hit an unexpected error; the request changed nothing.',
  'server.storage_unavailable':
    'The data folder cannot take the write (disk full, read-only): nothing was stored; retry later.',
  'request.rejected': 'Any other refusal (a status without a more specific reason).',
} as const

export type ScimErrorReason = keyof typeof scimErrorReasons

export const scimErrorReasonCodes = Object.keys(scimErrorReasons) as ScimErrorReason[]

export function isScimErrorReason(value: unknown): value is ScimErrorReason {
  return typeof value === 'string' && Object.hasOwn(scimErrorReasons, value)
}
