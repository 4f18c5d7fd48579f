import { events, type EventName, type EventPayload } from '../src-shared/contract.ts'

type Listener = (event: EventName, payload: unknown) => void

/**
 * Main-to-renderer streams. Services emit typed events; each front door (Electron windows, web
 * host SSE clients) subscribes once and forwards. Payloads are validated here so a service bug
 * cannot push an off-contract shape to the renderer.
 */
export class RendererEvents {
  #listeners = new Set<Listener>()

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const parsed = events[event].safeParse(payload)
    if (!parsed.success) return
    for (const listener of this.#listeners) listener(event, parsed.data)
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  get size(): number {
    return this.#listeners.size
  }
}
