/** Message shapes and small request/response helpers shared by the fault-proxy faults. */

export type Json = Record<string, unknown>

export interface ProxyRequest {
  method: string
  /** Path and query as received, e.g. /scim/v2/Users?filter=... */
  url: URL
  headers: Record<string, string>
  body: string
}

export interface ProxyResponse {
  status: number
  headers: Record<string, string>
  body: string
}

export interface FaultContext {
  forward(req: ProxyRequest): Promise<ProxyResponse>
  /** The upstream token, for faults that change authentication. */
  token: string
  state: Record<string, unknown>
}

export interface Fault {
  /** Return a response to answer without (or after) forwarding, or a request to forward. */
  request?(
    req: ProxyRequest,
    ctx: FaultContext,
  ): ProxyRequest | ProxyResponse | Promise<ProxyRequest | ProxyResponse>
  response?(
    req: ProxyRequest,
    res: ProxyResponse,
    ctx: FaultContext,
  ): ProxyResponse | Promise<ProxyResponse>
}

export const SCIM = 'application/scim+json; charset=utf-8'
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'

export const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ProxyResponse => ({
  status,
  headers: { 'content-type': SCIM, ...headers },
  body: JSON.stringify(body),
})
export const parse = (text: string): Json | undefined => {
  try {
    return JSON.parse(text) as Json
  } catch {
    return undefined
  }
}
export const edit = (res: ProxyResponse, fn: (body: Json) => void): ProxyResponse => {
  const body = parse(res.body)
  if (!body) return res
  fn(body)
  return { ...res, body: JSON.stringify(body), headers: { ...res.headers, 'content-length': '' } }
}
export const kind = (
  req: ProxyRequest,
): { collection: string | undefined; id: string | undefined } => {
  const parts = req.url.pathname.replace(/^.*\/scim\/v2/, '').split('/')
  return { collection: parts[1], id: parts[2] }
}
export const isList = (req: ProxyRequest, collection = 'Users'): boolean =>
  req.method === 'GET' && kind(req).collection === collection && !kind(req).id
export const filterOf = (req: ProxyRequest): string => req.url.searchParams.get('filter') ?? ''
export const emptyList = {
  schemas: [LIST],
  totalResults: 0,
  startIndex: 1,
  itemsPerPage: 0,
  Resources: [],
}
export const withQuery = (req: ProxyRequest, fn: (q: URLSearchParams) => void): ProxyRequest => {
  const url = new URL(req.url)
  fn(url.searchParams)
  return { ...req, url }
}
export const patchOps = (req: ProxyRequest): Json[] => {
  const ops = parse(req.body)?.Operations
  return Array.isArray(ops) ? (ops as Json[]) : []
}
export const error = (status: number, detail: string, scimType?: string): ProxyResponse =>
  json(status, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: String(status),
    ...(scimType ? { scimType } : {}),
    detail,
  })

/** Each fault breaks one behaviour; the key names what a broken server does. */
