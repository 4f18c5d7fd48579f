import { useApi } from '../api-context.tsx'
import { copySecret } from '../lib/secret-clipboard.ts'
import { CopyStateButton } from './CopyButton.tsx'

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
  const api = useApi()
  return (
    <CopyStateButton
      label={label}
      testId={testId ?? 'copy-secret'}
      title={`Copy ${label} (cleared from the clipboard after 60 seconds)`}
      copiedText="Copied · clears in 60 s"
      showOutcomeMs={2400}
      copy={() => copySecret(api, text)}
    />
  )
}
