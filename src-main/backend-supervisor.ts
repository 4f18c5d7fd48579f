import type { EmbeddedBackendState } from '../src-shared/channels/app.ts'

/**
 * When the embedded reference backend dies on its own, the console starts it again rather than
 * leaving every backend call failing until the app restarts. A backend that keeps dying is not
 * restarted forever: after `maxFailures` crashes within `windowMs` the supervisor gives up and the
 * console says so, with the cause, instead of spinning.
 */

export interface RestartPolicy {
  /** Wait before the 1st, 2nd, ... restart; the last value repeats. */
  delaysMs: readonly number[]
  /** Crashes within `windowMs` after which the supervisor stops restarting. */
  maxFailures: number
  windowMs: number
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  delaysMs: [250, 1_000, 4_000],
  maxFailures: 4,
  windowMs: 60_000,
}

/** What the console shows about its embedded backend (the contract's schema). */
export type { EmbeddedBackendState }

export type RestartDecision =
  { restart: true; delayMs: number; attempt: number } | { restart: false; failures: number }

/** The decision half of supervision: pure, so it is tested without processes or timers. */
export class RestartDecider {
  readonly #policy: RestartPolicy
  #crashes: number[] = []

  constructor(policy: RestartPolicy = DEFAULT_RESTART_POLICY) {
    this.#policy = policy
  }

  /** A crash at `now` (ms): restart after a delay, or give up. */
  crashed(now: number): RestartDecision {
    this.#crashes = this.#crashes.filter((t) => now - t < this.#policy.windowMs)
    this.#crashes.push(now)
    const failures = this.#crashes.length
    if (failures >= this.#policy.maxFailures) return { restart: false, failures }
    const delays = this.#policy.delaysMs
    const delayMs = delays[Math.min(failures - 1, delays.length - 1)] ?? 0
    return { restart: true, delayMs, attempt: failures }
  }

  /** A manual retry (the person asked for it) starts from a clean slate. */
  reset(): void {
    this.#crashes = []
  }
}
