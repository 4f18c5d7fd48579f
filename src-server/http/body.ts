import type { IncomingMessage } from 'node:http'

export type BodyResult =
  { kind: 'ok'; text: string } | { kind: 'too_large'; limit: number } | { kind: 'aborted' }

/**
 * Reads the request body up to `limit` bytes. Past the limit it keeps draining (up to a hard
 * ceiling) without storing, so the client can finish sending and still read our 413 instead of
 * seeing a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'])
    const hardCeiling = Math.max(limit * 64, 64 * 1024 * 1024)
    if (Number.isFinite(declared) && declared > hardCeiling) {
      req.resume()
      resolve({ kind: 'too_large', limit })
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        over = true
        chunks.length = 0
        if (size > hardCeiling) {
          req.destroy()
        }
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (over) resolve({ kind: 'too_large', limit })
      else resolve({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') })
    })
    req.on('error', () => resolve(over ? { kind: 'too_large', limit } : { kind: 'aborted' }))
    req.on('close', () => {
      if (!req.complete) resolve(over ? { kind: 'too_large', limit } : { kind: 'aborted' })
    })
  })
}
