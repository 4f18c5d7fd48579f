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
  /** A line or an event over its cap was dropped (the stream goes on with the next one). */
  oversize?(what: 'line' | 'event', limit: number): void
}

/** Work done, in characters examined; property tests use it to check linear time. */
export interface WorkCounter {
  steps: number
}

export interface SseLimits {
  /** Longest line kept, in characters; the rest of a longer line is skipped. */
  maxLineChars?: number
  /** Most `data` characters in one event; a larger event is dropped whole. */
  maxEventChars?: number
}

export const DEFAULT_MAX_LINE_CHARS = 4 * 1024 * 1024
export const DEFAULT_MAX_EVENT_CHARS = 8 * 1024 * 1024

/**
 * Each character of each chunk is examined once: a line that arrives in many chunks is kept as a
 * list of pieces and only the new chunk is searched for its end (the parser used to rescan its
 * whole buffer on every chunk, quadratic for a long line), and lines and events are capped.
 */
export class SseParser {
  #pieces: string[] = []
  #pieceChars = 0
  /** The rest of an over-long line is being skipped. */
  #skipping = false
  /** The last chunk ended with CR: an LF at the start of the next one belongs to it. */
  #afterCr = false
  #data: string[] = []
  #dataChars = 0
  #eventTooLarge = false
  #event = ''
  #id: string | undefined
  #hasData = false
  readonly #handlers: SseHandlers
  readonly #maxLine: number
  readonly #maxEvent: number
  readonly #work: WorkCounter | undefined

  constructor(handlers: SseHandlers, limits: SseLimits = {}, work?: WorkCounter) {
    this.#handlers = handlers
    this.#maxLine = limits.maxLineChars ?? DEFAULT_MAX_LINE_CHARS
    this.#maxEvent = limits.maxEventChars ?? DEFAULT_MAX_EVENT_CHARS
    this.#work = work
  }

  feed(chunk: string): void {
    let pos = 0
    if (this.#afterCr && chunk.charCodeAt(0) === 10) pos = 1
    this.#afterCr = false
    while (pos < chunk.length) {
      let eol = pos
      while (eol < chunk.length) {
        const c = chunk.charCodeAt(eol)
        if (c === 10 || c === 13) break
        eol++
      }
      if (this.#work) this.#work.steps += eol - pos + 1
      if (eol === chunk.length) {
        this.#keep(chunk.slice(pos))
        return
      }
      if (this.#skipping) {
        this.#skipping = false
      } else if (this.#pieces.length === 0) {
        this.#line(chunk.slice(pos, eol))
      } else {
        this.#pieces.push(chunk.slice(pos, eol))
        const line = this.#pieces.join('')
        this.#pieces = []
        this.#pieceChars = 0
        this.#line(line)
      }
      if (chunk.charCodeAt(eol) === 13) {
        if (eol + 1 === chunk.length) this.#afterCr = true
        else if (chunk.charCodeAt(eol + 1) === 10) eol++
      }
      pos = eol + 1
    }
  }

  /** Keeps the start of a line whose end has not arrived yet, up to the cap. */
  #keep(piece: string): void {
    if (this.#skipping || piece === '') return
    this.#pieceChars += piece.length
    if (this.#pieceChars > this.#maxLine) {
      this.#pieces = []
      this.#pieceChars = 0
      this.#skipping = true
      this.#handlers.oversize?.('line', this.#maxLine)
      return
    }
    this.#pieces.push(piece)
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
        this.#hasData = true
        this.#dataChars += value.length + 1
        if (this.#dataChars > this.#maxEvent) {
          this.#eventTooLarge = true
          this.#data = []
        }
        if (!this.#eventTooLarge) this.#data.push(value)
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
    const tooLarge = this.#eventTooLarge
    const data = this.#data.join('\n')
    this.#data = []
    this.#dataChars = 0
    this.#eventTooLarge = false
    this.#event = ''
    this.#id = undefined
    this.#hasData = false
    if (!hasData) return
    if (tooLarge) {
      this.#handlers.oversize?.('event', this.#maxEvent)
      return
    }
    this.#handlers.message({ event, data, id })
  }
}
