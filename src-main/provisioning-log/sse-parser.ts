/**
 * A small Server-Sent Events parser (WHATWG HTML §9.2.6). We parse ourselves rather than use
 * EventSource because Node has none that sends an Authorization header, and we need the
 * `id:` of each message for resume and the comment lines (`: heartbeat`) for liveness.
 */

export interface SseMessage {
  /** `event:` field; "message" when absent. */
  event: string
  data: string
  /** `id:` of this message, or undefined when the message did not set one. */
  id: string | undefined
}

export interface SseHandlers {
  message(msg: SseMessage): void
  /** Any comment line (`: heartbeat`): proves the connection is alive. */
  comment?(text: string): void
  /** The server's `retry:` hint in milliseconds. */
  retry?(ms: number): void
}

export class SseParser {
  #buffer = ''
  #data: string[] = []
  #event = ''
  #id: string | undefined
  #hasData = false
  readonly #handlers: SseHandlers

  constructor(handlers: SseHandlers) {
    this.#handlers = handlers
  }

  feed(chunk: string): void {
    this.#buffer += chunk
    let start = 0
    for (;;) {
      const nl = this.#findEol(start)
      if (nl === -1) break
      const line = this.#buffer.slice(start, nl.index)
      start = nl.index + nl.length
      this.#line(line)
    }
    this.#buffer = this.#buffer.slice(start)
  }

  #findEol(from: number): { index: number; length: number } | -1 {
    const buf = this.#buffer
    for (let i = from; i < buf.length; i++) {
      const c = buf.charCodeAt(i)
      if (c === 10) return { index: i, length: 1 }
      if (c === 13) {
        // A lone CR at the end of a chunk may be the first half of CRLF: wait for more.
        if (i + 1 >= buf.length) return -1
        return { index: i, length: buf.charCodeAt(i + 1) === 10 ? 2 : 1 }
      }
    }
    return -1
  }

  #line(line: string): void {
    if (line === '') {
      this.#dispatch()
      return
    }
    if (line.startsWith(':')) {
      this.#handlers.comment?.(line.slice(1).trimStart())
      return
    }
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    switch (field) {
      case 'data':
        this.#data.push(value)
        this.#hasData = true
        break
      case 'event':
        this.#event = value
        break
      case 'id':
        if (!value.includes('\0')) this.#id = value
        break
      case 'retry':
        if (/^\d+$/.test(value)) this.#handlers.retry?.(Number(value))
        break
      default:
        break
    }
  }

  #dispatch(): void {
    const id = this.#id
    const event = this.#event || 'message'
    const hasData = this.#hasData
    const data = this.#data.join('\n')
    this.#data = []
    this.#event = ''
    this.#id = undefined
    this.#hasData = false
    if (!hasData) return
    this.#handlers.message({ event, data, id })
  }
}
