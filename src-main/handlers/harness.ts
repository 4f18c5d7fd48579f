import type { z } from 'zod'
import type {
  harnessChannels,
  harnessTokenSourceSchema,
} from '../../src-shared/channels/harness.ts'
import { createHarnessService, type HarnessService } from '../harness/harness-service.ts'
import type { RunHarnessInput } from '../harness/runner.ts'
import type { DomainHandlers, HandlerDeps } from './handler-deps.ts'
import { requireContext } from './require-context.ts'

export interface HarnessHandlerOptions {
  /** Passed to the runner (tests shorten retry waits). */
  tuning?: RunHarnessInput['tuning']
}

/**
 * The Conformance screen's door to the harness. One harness service per set of handlers (one per
 * process), so runs outlive the screen; progress goes out as `harness.progress` on the hub.
 */
export function harnessHandlers(
  deps: HandlerDeps,
  options: HarnessHandlerOptions = {},
): DomainHandlers<typeof harnessChannels> {
  const service: HarnessService = createHarnessService({
    onProgress: (message) => deps.hub?.emit('harness.progress', message),
    ...(options.tuning ? { tuning: options.tuning } : {}),
  })
  const active = new Set<string>()

  // Closing the app mid-run stops the run, so the harness deletes what it created before the
  // embedded backend (or the process) goes away.
  deps.context?.onClose(async () => {
    const running = [...active]
    for (const runId of running) service.cancel(runId)
    await Promise.allSettled(running.map((runId) => service.wait(runId)))
  })

  async function resolveToken(token: z.output<typeof harnessTokenSourceSchema>): Promise<string> {
    if (token.source === 'pasted') return token.value
    const access = await requireContext(deps).access()
    return access.revealTokenSecret(token.connection, token.tenantId, token.tokenId)
  }

  return {
    'harness.start': async ({ token, ...settings }) => {
      const secret = await resolveToken(token)
      const { runId } = service.start({ ...settings, token: secret })
      active.add(runId)
      const forget = (): void => void active.delete(runId)
      service.wait(runId).then(forget, forget)
      return { runId }
    },
    'harness.cancel': async ({ runId }) => service.cancel(runId),
    'harness.report': async ({ runId }) => ({ report: service.report(runId) ?? null }),
    'harness.export': async ({ runId, format }) => service.export(runId, format),
  }
}
