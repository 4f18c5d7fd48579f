import type { OnboardingStatus } from '../../../../src-shared/channels/onboarding.ts'
import { useUiStore } from '../../use-ui-store.ts'
import { StepFrame } from './StepFrame.tsx'
import './onboarding.css'

export function ConnectStep({
  status,
  adminBaseUrl,
  busy,
  onConfirm,
}: {
  status: OnboardingStatus
  adminBaseUrl: string | null
  busy: boolean
  onConfirm: () => void
}) {
  const setScreen = useUiStore((s) => s.setScreen)
  const step = status.steps.find((s) => s.id === 'connect')!
  return (
    <StepFrame step={step}>
      <p>
        The console talks to your hosted backend’s admin API. With no backend saved it runs the{' '}
        <strong>embedded reference backend</strong> on this machine, so you can walk the whole path
        before touching production.
      </p>
      <dl className="fields">
        <div className="field-pair">
          <dt>Backend</dt>
          <dd data-testid="ob-connection">
            {status.connection}
            {status.embedded ? <span className="tag ob-tag">embedded</span> : null}
          </dd>
        </div>
        {adminBaseUrl ? (
          <div className="field-pair">
            <dt>Admin API</dt>
            <dd>
              <code>{adminBaseUrl}</code>
            </dd>
          </div>
        ) : null}
        <div className="field-pair">
          <dt>Tenant</dt>
          <dd data-testid="ob-tenant-name">
            {status.tenantName} <code className="muted">{status.tenantId}</code>
          </dd>
        </div>
      </dl>
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          data-testid="ob-connect-confirm"
          disabled={busy || step.status === 'done'}
          onClick={onConfirm}
        >
          {step.status === 'done' ? 'Using this backend' : 'Use this backend and tenant'}
        </button>
        <button type="button" className="button" onClick={() => setScreen('connection')}>
          Add or choose another backend…
        </button>
      </div>
    </StepFrame>
  )
}
