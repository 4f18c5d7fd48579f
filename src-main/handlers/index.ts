import type { AppServices } from '../app-services.ts'
import { silentLogger, type Logger } from '../logger.ts'
import { appHandlers } from './app.ts'
import { connectionsHandlers } from './connections.ts'
import { directoryHandlers } from './directory.ts'
import type { Handlers } from './handler-types.ts'
import { harnessHandlers } from './harness.ts'
import { logHandlers } from './log.ts'
import { metadataHandlers } from './metadata.ts'
import { onboardingHandlers } from './onboarding.ts'
import { ssoHandlers } from './sso.ts'
import { ssoSignInHandlers } from './sso-signin.ts'
import { tokensHandlers } from './tokens.ts'

export type { DomainHandlers, Handlers } from './handler-types.ts'

/**
 * Every contract channel mapped onto the services of the composition root. Each domain
 * contributes the handlers of its own channels (src-main/handlers/<domain>.ts); they build
 * nothing and keep no state, so calling this twice over the same services gives the same app.
 * The front door's logger receives what the renderer reports (app.reportError).
 * The `Handlers` annotation makes a missing or extra handler a compile error.
 */
export function createHandlers(services: AppServices, opts: { logger?: Logger } = {}): Handlers {
  return {
    ...appHandlers(services, opts.logger ?? silentLogger),
    ...metadataHandlers(services),
    ...connectionsHandlers(services),
    ...tokensHandlers(services),
    ...ssoHandlers(services),
    ...ssoSignInHandlers(services),
    ...logHandlers(services),
    ...harnessHandlers(services),
    ...onboardingHandlers(services),
    ...directoryHandlers(services),
  }
}
