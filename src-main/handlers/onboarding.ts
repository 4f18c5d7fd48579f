import type { onboardingChannels } from '../../src-shared/channels/onboarding.ts'
import type { AppServices } from '../app-services.ts'
import type { DomainHandlers } from './handler-types.ts'

/** The Onboarding screen's channels; its pre-go-live runs stream on `harness.progress`. */
export function onboardingHandlers({
  onboarding,
}: AppServices): DomainHandlers<typeof onboardingChannels> {
  return {
    'onboarding.status': (target) => onboarding.status(target),
    'onboarding.confirmConnect': (target) => onboarding.confirmConnect(target),
    'onboarding.confirmSso': (target) => onboarding.confirmSso(target),
    'onboarding.startSignInTest': (target) => onboarding.startSignInTest(target),
    'onboarding.skipSignInTest': ({ reason, ...target }) =>
      onboarding.skipSignInTest(target, reason),
    'onboarding.confirmScim': ({ tokenId, oktaApp, ...target }) =>
      onboarding.confirmScim(target, tokenId, oktaApp),
    'onboarding.startTest': (target) => onboarding.startTest(target),
    'onboarding.beginGoLive': (target) => onboarding.beginGoLive(target),
    'onboarding.reset': (target) => onboarding.reset(target),
    'onboarding.export': (target) => onboarding.exportHtml(target),
  }
}
