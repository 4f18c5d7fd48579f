import { useEffect, useState } from 'react'
import { api } from '../api.ts'

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
  const [state, setState] = useState<State>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 1800)
    return () => clearTimeout(timer)
  }, [state])
  return (
    <button
      type="button"
      className={`copy-button copy-${state}`}
      data-testid={testId ?? 'copy-button'}
      aria-label={`Copy ${label}`}
      title={`Copy ${label}`}
      onClick={async () => {
        const result = await api['clipboard.writeText']({ text })
        setState(result.ok ? 'copied' : 'failed')
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  )
}
