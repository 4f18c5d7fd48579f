import type { RouteContext } from '../../http/router.ts'
import { MAX_RESULTS } from '../discovery.ts'
import { ScimError } from '../scim-error.ts'
import type { Json, ResourceStore } from '../../store/resources.ts'
import type { EventResourceType, Outcome } from '../../store/events.ts'

/** What every SCIM route handler gets and returns, and the SCIM message URNs they answer with. */

export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest'

/** Largest page the server returns, whatever `count` asks for (declared as filter.maxResults). */
export const MAX_PAGE = MAX_RESULTS

/** What a handler learned about the request, for its provisioning event. */
export interface EventDraft {
  resourceType: EventResourceType
  resourceId: string | null
  userName: string | null
  outcome: Outcome | null
  membersAdded?: string[]
  membersRemoved?: string[]
}

export interface ScimContext extends RouteContext {
  tenantId: string
  /** e.g. http://127.0.0.1:8787/scim/v2 */
  baseUrl: string
  body: Json | undefined
  store: ResourceStore
  ev: EventDraft
}

export interface ScimResult {
  status: number
  body?: unknown
  /** A body its route serialised itself (a list page spliced from stored text); sent as is. */
  serialized?: SerializedBody
  headers?: Record<string, string>
}

export interface SerializedBody {
  json: string
  /** What the request's event keeps of the body (store/event-response-body.ts), built on demand. */
  eventBody(): { body: unknown; json: string | null }
}

export function requireBody(ctx: ScimContext): Json {
  if (ctx.body === undefined) {
    throw new ScimError(400, 'This request needs a JSON object body.', 'invalidSyntax')
  }
  return ctx.body
}
