import type { ScimErrorReason } from '../../src-shared/scim-error-reasons.ts'

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'

/** RFC 7644 §3.12 Table 9. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA]
  status: string
  scimType?: string
  detail: string
  /** Extension member: the machine reason (src-shared/scim-error-reasons.ts). */
  reason: ScimErrorReason
}

const REASON_OF_SCIM_TYPE: Record<ScimType, ScimErrorReason> = {
  invalidFilter: 'scim.invalid_filter',
  tooMany: 'scim.too_many',
  uniqueness: 'scim.uniqueness',
  mutability: 'scim.mutability',
  invalidSyntax: 'scim.invalid_syntax',
  invalidPath: 'scim.invalid_path',
  noTarget: 'scim.no_target',
  invalidValue: 'scim.invalid_value',
  invalidVers: 'scim.invalid_vers',
  sensitive: 'scim.sensitive',
}

const REASON_OF_STATUS: Partial<Record<number, ScimErrorReason>> = {
  404: 'resource.not_found',
  405: 'request.method_not_allowed',
  412: 'resource.version_mismatch',
  413: 'request.body_too_large',
  415: 'request.media_type',
  429: 'request.rate_limited',
  500: 'server.internal',
}

/**
 * The reason an error carries when the thrower named none: a scimType is already a machine
 * reason, and the statuses without one each mean one thing on this server.
 */
export function defaultReason(status: number, scimType: string | undefined): ScimErrorReason {
  if (scimType !== undefined && Object.hasOwn(REASON_OF_SCIM_TYPE, scimType))
    return REASON_OF_SCIM_TYPE[scimType as ScimType]
  return REASON_OF_STATUS[status] ?? 'request.rejected'
}

/**
 * A SCIM protocol error. The pure modules throw it; the HTTP layer turns it into a response
 * with `toBody()`, so the status, scimType and reason are decided where the rule is known.
 */
export class ScimError extends Error {
  status: number
  scimType?: string
  readonly reason: ScimErrorReason

  constructor(
    status: number,
    detail: string,
    scimType?: ScimType | string,
    reason?: ScimErrorReason,
  ) {
    super(detail)
    this.name = 'ScimError'
    this.status = status
    if (scimType !== undefined) this.scimType = scimType
    this.reason = reason ?? defaultReason(status, scimType)
  }

  get detail(): string {
    return this.message
  }

  toBody(): ScimErrorBody {
    // Built in RFC order (schemas, status, scimType, detail) so captured bodies read naturally;
    // the extension member comes last.
    return this.scimType === undefined
      ? {
          schemas: [ERROR_SCHEMA],
          status: String(this.status),
          detail: this.message,
          reason: this.reason,
        }
      : {
          schemas: [ERROR_SCHEMA],
          status: String(this.status),
          scimType: this.scimType,
          detail: this.message,
          reason: this.reason,
        }
  }
}
