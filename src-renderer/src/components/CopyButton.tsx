import { useEffect, useState } from 'react'
import { useApi } from '../api-context.tsx'

type State = 'idle' | 'copied' | 'failed'

export function CopyButton({
  text,
  label,
  testId,
}: {
  text: string
  label: string
  testId?: string
}) {
  const api = useApi()
  return (
    <CopyStateButton
      label={label}
      testId={testId ?? 'copy-button'}
      title={`Copy ${label}`}
      copiedText="Copied"
      showOutcomeMs={1800}
      copy={async () => (await api['clipboard.writeText']({ text })).ok}
    />
  )
}

/**
 * The one copy button: runs `copy`, shows whether it worked for a moment, then reads "Copy" again.
 * CopyButton and SecretCopyButton differ only in how they copy and what they say.
 */
export function CopyStateButton({
  label,
  testId,
  title,
  copiedText,
  showOutcomeMs,
  copy,
}: {
  label: string
  testId: string
  title: string
  copiedText: string
  showOutcomeMs: number
  copy: () => Promise<boolean>
}) {
  const [state, setState] = useState<State>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), showOutcomeMs)
    return () => clearTimeout(timer)
  }, [state, showOutcomeMs])
  return (
    <button
      type="button"
      className={`copy-button copy-${state}`}
      data-testid={testId}
      aria-label={`Copy ${label}`}
      title={title}
      onClick={async () => setState((await copy()) ? 'copied' : 'failed')}
    >
      {state === 'copied' ? copiedText : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  )
}
