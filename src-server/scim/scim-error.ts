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
}

/**
 * A SCIM protocol error. The pure modules throw it; the HTTP layer turns it into a response
 * with `toBody()`, so the status and scimType are decided where the rule is known.
 */
export class ScimError extends Error {
  status: number
  scimType?: string

  constructor(status: number, detail: string, scimType?: ScimType | string) {
    super(detail)
    this.name = 'ScimError'
    this.status = status
    if (scimType !== undefined) this.scimType = scimType
  }

  get detail(): string {
    return this.message
  }

  toBody(): ScimErrorBody {
    // Built in RFC order (schemas, status, scimType, detail) so captured bodies read naturally.
    return this.scimType === undefined
      ? { schemas: [ERROR_SCHEMA], status: String(this.status), detail: this.message }
      : {
          schemas: [ERROR_SCHEMA],
          status: String(this.status),
          scimType: this.scimType,
          detail: this.message,
        }
  }
}
