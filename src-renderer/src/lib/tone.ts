/**
 * The five tones of the UI, each defined once in styles/tones.css. Screens map their own states
 * (a severity, a check status, an HTTP status) to a tone here, and never declare colours.
 */
export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral'

/**
 * The classes for a toned element: `fill` paints the tone's soft background and strong text (chips,
 * pills, badges, notes), `text` only the text (status codes, methods, days left), `edge` only the
 * tone's left border (cards, findings); banners and dots read the tone themselves.
 */
export function toneClass(tone: Tone, paint?: 'fill' | 'text' | 'edge'): string {
  return paint ? `tone-${paint} tone-${tone}` : `tone-${tone}`
}

export function severityTone(severity: 'error' | 'warning' | 'info'): Tone {
  return severity === 'error' ? 'bad' : severity === 'warning' ? 'warn' : 'info'
}

export function expiryTone(state: 'valid' | 'expires-soon' | 'expired'): Tone {
  return state === 'expired' ? 'bad' : state === 'expires-soon' ? 'warn' : 'good'
}

/** Conformance check statuses (and their counts). */
export function checkTone(status: 'pass' | 'fail' | 'error' | 'warn' | 'info' | 'skip'): Tone {
  switch (status) {
    case 'pass':
      return 'good'
    case 'fail':
    case 'error':
      return 'bad'
    case 'warn':
      return 'warn'
    case 'info':
      return 'info'
    default:
      return 'neutral'
  }
}

export function methodTone(method: string): Tone {
  switch (method.toUpperCase()) {
    case 'POST':
      return 'good'
    case 'PUT':
    case 'PATCH':
      return 'warn'
    case 'DELETE':
      return 'bad'
    default:
      return 'info'
  }
}

/** A provisioning event's outcome in the log. */
export function outcomeTone(outcome: string): Tone {
  if (outcome === 'rejected') return 'bad'
  if (outcome === 'created' || outcome === 'reactivated') return 'good'
  if (outcome === 'deactivated' || outcome === 'deleted') return 'warn'
  return 'neutral'
}
