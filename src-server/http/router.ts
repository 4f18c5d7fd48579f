import type { IncomingMessage, ServerResponse } from 'node:http'

export interface RouteContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  params: Record<string, string>
}

export type Handler<C, R> = (ctx: C) => R

interface Route<C, R> {
  method: string
  segments: string[]
  handler: Handler<C, R>
}

export type RouteMatch<C, R> =
  | { kind: 'found'; handler: Handler<C, R>; params: Record<string, string> }
  | { kind: 'method'; allowed: string[] }
  | { kind: 'none' }

/**
 * A tiny path router: `/Users/:id` style patterns, exact segment counts, and a 405 with the
 * allowed methods when the path exists under another method. Literal segments win over params,
 * so `/Users/.search` is not taken for `/Users/:id`.
 */
export class Router<C, R> {
  private readonly routes: Route<C, R>[] = []

  on(method: string, pattern: string, handler: Handler<C, R>): this {
    this.routes.push({ method, segments: split(pattern), handler })
    return this
  }

  match(method: string, pathname: string): RouteMatch<C, R> {
    const parts = split(pathname)
    let best: { route: Route<C, R>; params: Record<string, string>; literals: number } | undefined
    const allowed = new Set<string>()
    for (const route of this.routes) {
      const m = matchSegments(route.segments, parts)
      if (!m) continue
      allowed.add(route.method)
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue
      if (!best || m.literals > best.literals) best = { route, ...m }
    }
    if (best) {
      return { kind: 'found', handler: best.route.handler, params: best.params }
    }
    if (allowed.size > 0) return { kind: 'method', allowed: [...allowed].sort() }
    return { kind: 'none' }
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '')
}

function matchSegments(
  pattern: string[],
  parts: string[],
): { params: Record<string, string>; literals: number } | undefined {
  if (pattern.length !== parts.length) return undefined
  const params: Record<string, string> = {}
  let literals = 0
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!
    const part = parts[i]!
    if (p.startsWith(':')) {
      let decoded: string
      try {
        decoded = decodeURIComponent(part)
      } catch {
        return undefined
      }
      params[p.slice(1)] = decoded
    } else if (p.toLowerCase() === part.toLowerCase()) {
      literals++
    } else {
      return undefined
    }
  }
  return { params, literals }
}
