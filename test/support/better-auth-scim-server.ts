import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { scim } from '@better-auth/scim'
import { betterAuth } from 'better-auth'
import { memoryAdapter } from 'better-auth/adapters/memory'
import { getAuthTables } from 'better-auth/db'
import { toNodeHandler } from 'better-auth/node'

/**
 * An independent SCIM 2.0 service provider from npm: Better Auth with its SCIM plugin
 * (@better-auth/scim), one static provisioning connection, Better Auth's in-memory adapter, on
 * 127.0.0.1 port 0. Nothing of ours is in its request path: the harness findings are its own.
 */
export interface BetterAuthScimServer {
  baseUrl: string
  token: string
  /** The adapter's tables (scimUser, scimGroup, ...), for "the run left nothing behind". */
  tables: Record<string, unknown[]>
  close(): Promise<void>
}

export async function startBetterAuthScimServer(
  opts: {
    /** The plugin's opt-in for Entra's legacy ADSCIM Group schema on group create. */
    acceptEntraGroupSchema?: boolean
  } = {},
): Promise<BetterAuthScimServer> {
  const token = `ba-scim-${randomBytes(16).toString('hex')}`
  // The port goes into Better Auth's baseURL, so listen first and attach the handler after.
  const slot: { handler?: ReturnType<typeof toNodeHandler> } = {}
  const server = createServer((req, res) => void slot.handler?.(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const options = {
    secret: randomBytes(32).toString('hex'),
    // Better Auth builds Location and meta.location from this: the public URL, port included.
    baseURL: `http://127.0.0.1:${port}`,
    logger: { disabled: true },
    telemetry: { enabled: false },
    plugins: [
      scim({
        connections: [
          { id: 'harness', credentials: [{ type: 'bearer' as const, id: 'c1', token }] },
        ],
        ...(opts.acceptEntraGroupSchema
          ? { compatibility: { microsoftEntra: { acceptLegacyGroupSchema: true } } }
          : {}),
      }),
    ],
  }
  const tables: Record<string, unknown[]> = Object.fromEntries(
    Object.values(getAuthTables(options)).map((t) => [t.modelName, []]),
  )
  slot.handler = toNodeHandler(betterAuth({ ...options, database: memoryAdapter(tables) }))
  return {
    baseUrl: `http://127.0.0.1:${port}/api/auth/scim/v2`,
    token,
    tables,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
