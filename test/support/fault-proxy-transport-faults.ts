import { SCIM, error, kind, type Fault } from './fault-helpers.ts'

/** Faults in content type, timing, rate limits and server errors. Part of the fault proxy's catalogue (fault-proxy.ts). */
export const transportFaults = {
  /** Responses are text/plain. */
  'content-type-text': {
    response: (_req, res) =>
      res.body ? { ...res, headers: { ...res.headers, 'content-type': 'text/plain' } } : res,
  },
  /** Every answer takes `slowMs` (set through state). */
  slow: {
    response: async (_req, res, ctx) => {
      await new Promise((r) => setTimeout(r, Number(ctx.state.slowMs ?? 300)))
      return res
    },
  },
  /** The first POST /Users gets 429 without Retry-After. */
  'rate-limit-without-retry-after': {
    request: (req, ctx) => {
      if (req.method !== 'POST' || ctx.state.limited) return req
      ctx.state.limited = true
      return error(429, 'Too many requests')
    },
  },
  /** The first POST /Users gets 429 with Retry-After: 1. */
  'rate-limit-with-retry-after': {
    request: (req, ctx) => {
      if (req.method !== 'POST' || ctx.state.limited) return req
      ctx.state.limited = true
      return {
        ...error(429, 'Too many requests'),
        headers: { 'content-type': SCIM, 'retry-after': '1' },
      }
    },
  },
  /** One GET /Users/{id} hangs for `hangMs` (default 2 s) before answering. */
  'hang-once': {
    request: async (req, ctx) => {
      if (req.method !== 'GET' || !kind(req).id || ctx.state.hung) return req
      ctx.state.hung = true
      await new Promise((r) => setTimeout(r, Number(ctx.state.hangMs ?? 2000)))
      return req
    },
  },
  /** One GET /Users/{id} answers 503. */
  'server-error-once': {
    request: (req, ctx) => {
      if (req.method !== 'GET' || !kind(req).id || ctx.state.failed) return req
      ctx.state.failed = true
      return error(503, 'Service unavailable')
    },
  },
} satisfies Record<string, Fault>
