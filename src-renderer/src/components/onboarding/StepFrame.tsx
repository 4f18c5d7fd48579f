import { useLayoutEffect, useRef, type ReactNode } from 'react'
import type { OnboardingStep } from '../../../../src-shared/channels/onboarding.ts'
import { focusIfLost } from '../../use-focus-management.ts'
import './onboarding.css'

/** The open step: its title and status, what blocks it, then its content. */
export function StepFrame({
  step,
  children,
  ownResult = false,
}: {
  step: OnboardingStep
  children: ReactNode
  /** The step shows its own result (test, go-live), so the generic "done" banner would repeat it. */
  ownResult?: boolean
}) {
  const heading = useRef<HTMLHeadingElement>(null)
  // A step that opens because the control that finished the last one went away takes the focus
  // (it would otherwise fall to <body>); a step opened from the checklist leaves it there.
  useLayoutEffect(() => {
    focusIfLost(heading.current)
  }, [step.id])
  return (
    <section
      className="card ob-panel"
      data-testid={`ob-panel-${step.id}`}
      data-status={step.status}
    >
      <header className="ob-panel-header">
        <span className="ob-panel-n">Step {step.n} of 5</span>
        <h2 className="ob-panel-title" tabIndex={-1} ref={heading}>
          {step.title}
        </h2>
      </header>
      {step.status === 'done' && step.summary && !ownResult ? (
        <div className="status-banner tone-good ob-done" role="status">
          <strong>{step.summary}</strong>
        </div>
      ) : null}
      {step.changed ? (
        <div
          className="tone-fill tone-warn"
          role="note"
          data-testid={`ob-panel-changed-${step.id}`}
        >
          {step.changed}
        </div>
      ) : null}
      {step.blockedBy ? (
        <div className="ob-blocked tone-fill tone-bad" role="note">
          {step.blockedBy}
        </div>
      ) : null}
      {children}
    </section>
  )
}

/** "In Okta" instructions: numbered, each naming the exact screen and field. */
export function OktaSteps({
  title,
  items,
  testId,
}: {
  title: string
  items: ReactNode[]
  testId?: string
}) {
  return (
    <div className="ob-okta" data-testid={testId}>
      <h3 className="ob-okta-title">{title}</h3>
      <ol className="ob-okta-list">
        {items.map((item, i) => (
          <li key={i}>{item}</li>
        ))}
      </ol>
    </div>
  )
}
