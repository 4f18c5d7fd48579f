import type { onboardingChannels } from '../../src-shared/channels/onboarding.ts'
import type { RunHarnessInput } from '../harness/runner.ts'
import { OnboardingService } from '../onboarding/onboarding-service.ts'
import type { DomainHandlers, HandlerDeps } from './handler-deps.ts'
import { requireContext } from './require-context.ts'

export interface OnboardingHandlerOptions {
  /** Passed to the harness runner (tests shorten retry waits). */
  tuning?: RunHarnessInput['tuning']
}

/**
 * The Onboarding screen's channels. The service is built on first use (a host without backend
 * services still starts); its pre-go-live runs stream on `harness.progress` like any run.
 */
export function onboardingHandlers(
  deps: HandlerDeps,
  options: OnboardingHandlerOptions = {},
): DomainHandlers<typeof onboardingChannels> {
  let service: OnboardingService | undefined
  const get = (): OnboardingService => {
    if (!service) {
      service = new OnboardingService({
        context: requireContext(deps),
        onProgress: (message) => deps.hub?.emit('harness.progress', message),
        ...(options.tuning ? { tuning: options.tuning } : {}),
      })
    }
    return service
  }
  return {
    'onboarding.status': async (target) => get().status(target),
    'onboarding.confirmConnect': async (target) => get().confirmConnect(target),
    'onboarding.confirmSso': async (target) => get().confirmSso(target),
    'onboarding.confirmScim': async ({ tokenId, oktaApp, ...target }) =>
      get().confirmScim(target, tokenId, oktaApp),
    'onboarding.startTest': async (target) => get().startTest(target),
    'onboarding.beginGoLive': async (target) => get().beginGoLive(target),
    'onboarding.reset': async (target) => get().reset(target),
    'onboarding.export': async (target) => get().exportHtml(target),
  }
}
