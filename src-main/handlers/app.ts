import type { appChannels } from '../../src-shared/channels/app.ts'
import pkg from '../../package.json' with { type: 'json' }
import type { Logger } from '../logger.ts'
import type { DomainHandlers, HandlerDeps } from './handler-deps.ts'

export function appHandlers(deps: HandlerDeps): DomainHandlers<typeof appChannels> {
  return {
    'app.info': async () => ({ name: pkg.name, version: pkg.version, runtime: deps.runtime }),
    'clipboard.writeText': async ({ text }) => {
      await deps.platform.writeClipboard(text)
      return { written: true }
    },
    // HandlerDeps has no logger yet; a front door that passes one gets the renderer's report in
    // its log, and the dispatcher's ipc line records the call either way.
    'app.reportError': async ({ message, stack, screen }) => {
      ;(deps as { logger?: Logger }).logger?.error('renderer error', { message, stack, screen })
      return { logged: true }
    },
  }
}
