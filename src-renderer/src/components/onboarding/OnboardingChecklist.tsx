import type {
  OnboardingStep,
  OnboardingStepId,
  StepStatus,
} from '../../../../src-shared/channels/onboarding.ts'
import { toneClass } from '../../lib/tone.ts'
import './onboarding.css'

const STATUS_TEXT: Record<StepStatus, string> = {
  done: 'Done',
  current: 'Next',
  ready: 'Ready',
  blocked: 'Blocked',
}

/** The current step is drawn in the accent colour (onboarding.css), the others by tone. */
const stepTone: Record<StepStatus, string> = {
  done: toneClass('good', 'fill'),
  current: '',
  ready: toneClass('neutral', 'fill'),
  blocked: toneClass('bad', 'fill'),
}

/** Where the tenant stands; any step can be opened, so the flow resumes wherever the person is. */
export function OnboardingChecklist({
  steps,
  open,
  onOpen,
}: {
  steps: OnboardingStep[]
  open: OnboardingStepId
  onOpen: (id: OnboardingStepId) => void
}) {
  return (
    <ol className="ob-checklist" data-testid="onboarding-checklist">
      {steps.map((s) => (
        <li key={s.id}>
          <button
            type="button"
            className={`ob-step ob-step-${s.status} ${open === s.id ? 'ob-step-open' : ''}`}
            data-testid={`ob-step-${s.id}`}
            data-status={s.status}
            aria-current={open === s.id ? 'step' : undefined}
            onClick={() => onOpen(s.id)}
          >
            <span className={`ob-step-n ${stepTone[s.status]}`} aria-hidden="true">
              {s.status === 'done' ? '✓' : s.n}
            </span>
            <span className="ob-step-body">
              <span className="ob-step-title">{s.title}</span>
              {s.summary ? <span className="ob-step-note">{s.summary}</span> : null}
              {s.changed ? (
                <span className="ob-step-note" data-testid={`ob-changed-${s.id}`}>
                  {s.changed}
                </span>
              ) : null}
              {s.blockedBy ? (
                <span className="ob-step-note ob-step-why" data-testid={`ob-blocked-${s.id}`}>
                  {s.blockedBy}
                </span>
              ) : null}
            </span>
            <span className={`ob-status ob-status-${s.status} ${stepTone[s.status]}`}>
              {STATUS_TEXT[s.status]}
            </span>
          </button>
        </li>
      ))}
    </ol>
  )
}
