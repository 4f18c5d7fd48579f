import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A real HTTP proxy in front of a correct SCIM server that breaks exactly one behaviour (a
 * "fault"), so each harness check can be shown to fail for the right reason. It also records
 * every request (for the read-only and cleanup tests) and can add latency (for the bench).
 */

import {
  type Fault,
  type FaultContext,
  type ProxyRequest,
  type ProxyResponse,
} from './fault-helpers.ts'
import { authFaults } from './fault-proxy-auth-faults.ts'
import { queryFaults } from './fault-proxy-query-faults.ts'
import { writeFaults } from './fault-proxy-write-faults.ts'
import { transportFaults } from './fault-proxy-transport-faults.ts'
import { validationFaults } from './fault-proxy-validation-faults.ts'
import { groundTruthFaults } from './ground-truth-faults.ts'

export type { Fault, FaultContext, ProxyRequest, ProxyResponse } from './fault-helpers.ts'

/** Every fault by name; each file of the catalogue holds one area. */
export const faults = {
  ...authFaults,
  ...queryFaults,
  ...writeFaults,
  ...transportFaults,
  ...validationFaults,
  ...groundTruthFaults,
  /** Every request gets a 200 HTML page: not a SCIM server at all. */
  'html-site': {
    request: () => ({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><title>Welcome</title>',
    }),
  },
} satisfies Record<string, Fault>

export type FaultName = keyof typeof faults

export interface RecordedRequest {
  method: string
  path: string
}

export interface FaultProxy {
  baseUrl: string
  requests: RecordedRequest[]
  state: Record<string, unknown>
  close(): Promise<void>
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export interface FaultProxyOptions {
  target: string
  token: string
  fault?: FaultName
  latencyMs?: number
  state?: Record<string, unknown>
}

/** Runs `fn` with a proxy in front of `target` and closes the proxy however `fn` ends. */
export async function withFaultProxy<T>(
  opts: FaultProxyOptions,
  fn: (proxy: FaultProxy) => Promise<T>,
): Promise<T> {
  const proxy = await startFaultProxy(opts)
  try {
    return await fn(proxy)
  } finally {
    await proxy.close()
  }
}

/**
 * Starts the proxy on 127.0.0.1 port 0. `target` is the upstream SCIM base URL; the proxy keeps
 * its path, so `${proxy.baseUrl}` is a drop-in replacement.
 */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(opts.target)
  const fault: Fault = opts.fault ? faults[opts.fault] : {}
  const requests: RecordedRequest[] = []
  const state = opts.state ?? {}
  const forward = async (req: ProxyRequest): Promise<ProxyResponse> => {
    const url = `${upstream.origin}${req.url.pathname}${req.url.search}`
    const headers: Record<string, string> = { ...req.headers }
    // A well-configured reverse proxy tells the server the public host the client used.
    if (req.headers.host) headers['x-forwarded-host'] = req.headers.host
    headers['x-forwarded-proto'] = 'http'
    delete headers.host
    delete headers['content-length']
    const res = await fetch(url, {
      method: req.method,
      headers,
      body: req.body && req.method !== 'GET' && req.method !== 'DELETE' ? req.body : undefined,
    })
    const out: Record<string, string> = {}
    res.headers.forEach((v, k) => {
      if (
        k !== 'content-length' &&
        k !== 'transfer-encoding' &&
        k !== 'connection' &&
        k !== 'keep-alive'
      )
        out[k] = v
    })
    return { status: res.status, headers: out, body: await res.text() }
  }
  const ctx: FaultContext = { forward, token: opts.token, state }
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req)
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v
        let preq: ProxyRequest = {
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', upstream.origin),
          headers,
          body,
        }
        requests.push({ method: preq.method, path: `${preq.url.pathname}${preq.url.search}` })
        if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs))
        let pres: ProxyResponse
        const r = fault.request ? await fault.request(preq, ctx) : preq
        if ('status' in r) pres = r
        else {
          preq = r
          pres = await forward(preq)
          if (fault.response) pres = await fault.response(preq, pres, ctx)
        }
        const outHeaders = Object.fromEntries(
          Object.entries(pres.headers).filter(([k, v]) => v !== '' && k !== 'content-length'),
        )
        res.writeHead(pres.status, outHeaders).end(pres.status === 204 ? undefined : pres.body)
      } catch (err) {
        res
          .writeHead(502, { 'content-type': 'text/plain' })
          .end(`fault proxy: ${(err as Error).message}`)
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}${upstream.pathname.replace(/(?<!\/)\/+$/, '')}`,
    requests,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
