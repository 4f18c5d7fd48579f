import { useEffect, useState } from 'react'
import { copySecret } from '../lib/secret-clipboard.ts'

type State = 'idle' | 'copied' | 'failed'

/** Copy for secrets: the clipboard is cleared after 60 s if it still holds this one. */
export function SecretCopyButton({
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
    const timer = setTimeout(() => setState('idle'), 2400)
    return () => clearTimeout(timer)
  }, [state])
  return (
    <button
      type="button"
      className={`copy-button copy-${state}`}
      data-testid={testId ?? 'copy-secret'}
      aria-label={`Copy ${label}`}
      title={`Copy ${label} (cleared from the clipboard after 60 seconds)`}
      onClick={async () => setState((await copySecret(text)) ? 'copied' : 'failed')}
    >
      {state === 'copied' ? 'Copied · clears in 60 s' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  )
}
