import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { controllers as jackson, type DirectorySyncRequest } from '@boxyhq/saml-jackson'

/**
 * An independent SCIM 2.0 service provider from npm: the directory sync of Jackson
 * (`@boxyhq/saml-jackson`, now Ory Polis) on its in-memory engine, one SCIM directory, on
 * 127.0.0.1 port 0. Jackson ships as a library; the HTTP route is the one its documentation
 * gives every embedder (`pages/api/scim/[...directory].ts`): path segments, the bearer token and
 * count/startIndex/filter go to `directorySyncController.requests.handle`, whose status and body
 * are sent back as JSON. Nothing of ours decides an answer: the harness findings are Jackson's.
 */
export interface JacksonScimServer {
  baseUrl: string
  token: string
  /**
   * POST /Users through the same `requests.handle` call as the HTTP route, without the HTTP: how
   * a benchmark seeds 100,000 users in seconds instead of minutes.
   */
  createUserInProcess(user: Record<string, unknown>): Promise<number>
  /** Users and groups left in the directory (first page: enough for "nothing left behind"). */
  liveResources(): Promise<number>
  /**
   * Stops the HTTP server. Jackson's in-memory engine keeps a TTL sweep timer it never clears,
   * so a plain script must end with process.exit() (vitest's workers do not wait for it).
   */
  close(): Promise<void>
}

type Controllers = Awaited<ReturnType<typeof jackson>>

export async function startJacksonScimServer(
  opts: {
    /** Jackson's directory types share one SCIM code path; the type labels the directory. */
    type?: 'okta-scim-v2' | 'generic-scim-v2'
  } = {},
): Promise<JacksonScimServer> {
  // Jackson builds the SCIM endpoint from externalUrl: listen first, attach the handler after.
  const slot: { handle?: (req: IncomingMessage) => Promise<{ status: number; data?: unknown }> } =
    {}
  const server = createServer((req, res) => {
    void (async () => {
      let answer: { status: number; data?: unknown }
      try {
        answer = await slot.handle!(req)
      } catch {
        // An exception in the route (Jackson's filter parser on "userName zz x", JSON.parse of a
        // malformed body) is what Next.js answers for any API route that throws.
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
        res.end('Internal Server Error')
        return
      }
      // What Next.js's res.status(status).json(data) sends, as in Jackson's documented route.
      const text = answer.data === undefined ? '' : JSON.stringify(answer.data)
      res.writeHead(answer.status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
      })
      res.end(text)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const quiet = () => {}
  const controllers: Controllers = await jackson({
    externalUrl: `http://127.0.0.1:${port}`,
    samlPath: '/api/oauth/saml',
    db: { engine: 'mem' },
    // Its anonymous analytics would call mixpanel.com; the logger would print each start-up.
    noAnalytics: true,
    logger: { info: quiet, warn: quiet, error: quiet },
  })
  const dsync = controllers.directorySyncController
  const { data: directory, error } = await dsync.directories.create({
    name: 'scim-console harness',
    tenant: `harness-${randomBytes(4).toString('hex')}`,
    product: 'scim-console',
    type: opts.type ?? 'okta-scim-v2',
  })
  if (error || !directory) throw new Error(`Jackson refused the directory: ${error?.message}`)
  const base = new URL(directory.scim.endpoint!)
  // Embedded mode: the event callback is the app's; here there is nothing to sync to.
  const onEvent = async () => {}

  slot.handle = async (req) => {
    const url = new URL(req.url ?? '/', base)
    if (!url.pathname.startsWith(`${base.pathname}/`)) return { status: 404, data: {} }
    const [path, resourceId] = url.pathname.slice(base.pathname.length + 1).split('/')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    // As the documented route: `body ? JSON.parse(body) : undefined`, which throws on bad JSON.
    const body: unknown = raw ? JSON.parse(raw) : undefined
    const int = (name: string) => {
      const v = url.searchParams.get(name)
      return v ? parseInt(v, 10) : undefined
    }
    const request: DirectorySyncRequest = {
      method: req.method ?? 'GET',
      body,
      directoryId: directory.id,
      resourceType: decodeURIComponent(path ?? ''),
      resourceId: resourceId ? decodeURIComponent(resourceId) : undefined,
      // Jackson's extractAuthToken: the second word of the Authorization header.
      apiSecret: req.headers.authorization?.split(' ')[1] ?? null,
      query: {
        count: int('count'),
        startIndex: int('startIndex'),
        filter: url.searchParams.get('filter') ?? undefined,
      },
    }
    return dsync.requests.handle(request, onEvent)
  }

  return {
    baseUrl: directory.scim.endpoint!,
    token: directory.scim.secret,
    async createUserInProcess(user) {
      const { status } = await dsync.requests.handle(
        {
          method: 'POST',
          body: user,
          directoryId: directory.id,
          resourceType: 'users',
          resourceId: undefined,
          apiSecret: directory.scim.secret,
          query: {},
        },
        onEvent,
      )
      return status
    },
    async liveResources() {
      const users = await dsync.users
        .setTenantAndProduct(directory.tenant, directory.product)
        .getAll({ directoryId: directory.id })
      const groups = await dsync.groups
        .setTenantAndProduct(directory.tenant, directory.product)
        .getAll({ directoryId: directory.id })
      return (users.data?.length ?? 0) + (groups.data?.length ?? 0)
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
      await controllers.close()
    },
  }
}
