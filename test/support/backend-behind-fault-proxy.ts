import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, type RunningServer } from '../../src-server/server.ts'
import { startFaultProxy, type FaultName, type FaultProxy } from './fault-proxy.ts'

/**
 * Test support: the reference backend deployed behind a reverse proxy that breaks one behaviour.
 * The backend runs with `publicUrl` set to the proxy, so the SCIM base URL its admin API reports
 * (the one the console tests and Okta would call) leads through the fault; the admin API is used
 * at its internal address, which stays the same across redeploys.
 */
export interface BackendBehindFaultProxy {
  dataDir: string
  adminKey: string
  /** The admin API at the listen address: what a saved connection points at. */
  adminBaseUrl: string
  tenantId: string
  /** The current proxy (its recorded requests show the traffic went through it). */
  readonly proxy: FaultProxy
  /** The SCIM base URL the backend reports: the proxy's. */
  readonly scimBaseUrl: string
  /** The server fixed and redeployed: same data and port, a fresh proxy with `fault` (or none). */
  redeploy(fault?: FaultName): Promise<void>
  close(): Promise<void>
}

export async function startBackendBehindFaultProxy(opts: {
  adminKey: string
  fault?: FaultName
}): Promise<BackendBehindFaultProxy> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-behind-proxy-'))
  const start = (port: number, publicUrl?: string): Promise<RunningServer> =>
    startServer({
      port,
      host: '127.0.0.1',
      dataDir,
      adminKey: opts.adminKey,
      ...(publicUrl ? { publicUrl } : {}),
    })
  // The proxy needs the backend's address and the backend the proxy's: a first start finds a free
  // port, then the backend restarts on it with the proxy as its public URL.
  const first = await start(0)
  const port = Number(new URL(first.url).port)
  const upstream = `${first.url}/scim/v2`
  await first.close()
  const deploy = async (fault?: FaultName) => {
    const proxy = await startFaultProxy({
      target: upstream,
      token: '',
      ...(fault ? { fault } : {}),
    })
    const server = await start(port, new URL(proxy.baseUrl).origin)
    return { proxy, server }
  }
  let current = await deploy(opts.fault)
  return {
    dataDir,
    adminKey: opts.adminKey,
    adminBaseUrl: `${current.server.url}/admin/v1`,
    tenantId: current.server.demoTenantId,
    get proxy() {
      return current.proxy
    },
    get scimBaseUrl() {
      return current.server.scimBaseUrl
    },
    async redeploy(fault) {
      await current.server.close()
      await current.proxy.close()
      current = await deploy(fault)
    },
    async close() {
      await current.server.close()
      await current.proxy.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
