import { check, sev, type CheckDef } from '../check.ts'
import { parseRetryAfterSeconds } from '../http-capture.ts'

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i

export const transportChecks: CheckDef[] = [
  {
    id: 'transport.base_url',
    title: 'Base URL uses HTTPS, or loopback for a local test (and no "_" for Okta)',
    area: 'transport',
    spec: 'RFC 7644 §7; Okta "prepare your SCIM API" (HTTPS, no underscore); Entra TLS 1.2',
    protects: 'The IdP accepts the base URL at all.',
    severity: sev('warn', 'warn', 'info'),
    writes: false,
    async run(ctx) {
      const url = new URL(ctx.baseUrl)
      if (LOOPBACK.test(url.hostname)) {
        return {
          status: 'pass',
          message:
            url.protocol === 'https:'
              ? 'A loopback address: fine for this local test, but Okta’s and Entra’s clouds cannot reach it; give them the public https URL.'
              : 'Plain http on a loopback address: fine for this local test, but not HTTPS, and Okta’s and Entra’s clouds cannot reach it; give them the public https URL (for the reference backend: backend serve --public-url).',
        }
      }
      check(
        url.protocol === 'https:',
        `The base URL uses ${url.protocol.replace(':', '')}, not https.`,
        {
          expected: 'https://…',
          actual: ctx.baseUrl,
          idpImpact: 'Okta and Entra refuse plain-HTTP SCIM endpoints.',
          fix: 'Serve SCIM over HTTPS (TLS 1.2 or newer).',
        },
      )
      if (ctx.profile.id === 'okta') {
        check(!ctx.baseUrl.includes('_'), 'The base URL contains "_".', {
          actual: ctx.baseUrl,
          idpImpact: 'Okta rejects base URLs with an underscore.',
          fix: 'Use a host name and path without "_".',
        })
      }
      return { status: 'pass', message: 'The base URL uses HTTPS.' }
    },
  },
  {
    id: 'transport.content_type',
    title: 'Responses are application/scim+json',
    area: 'transport',
    spec: 'RFC 7644 §3.8, §8.1; Entra tutorial ("all responses")',
    protects:
      "Entra's validator and strict SCIM clients accept your answers. Okta tolerates application/json.",
    severity: sev('warn', 'warn', 'fail'),
    rfcMust: true,
    writes: false,
    phase: 'final',
    async run(ctx) {
      const bad = new Map<string, string[]>()
      for (const x of ctx.exchanges()) {
        if (!x.response || x.response.body === '' || x.response.status === 204) continue
        const type = (x.response.headers['content-type'] ?? '(none)')
          .split(';')[0]!
          .trim()
          .toLowerCase()
        if (type === 'application/scim+json') continue
        bad.set(type, [...(bad.get(type) ?? []), x.id])
      }
      check(bad.size === 0, `Responses came back as ${[...bad.keys()].join(', ')}.`, {
        expected: 'Content-Type: application/scim+json',
        actual: [...bad]
          .map(([t, ids]) => `${t} on ${ids.length} responses (${ids.slice(0, 5).join(', ')})`)
          .join('; '),
        idpImpact: "Entra's SCIM validator fails; Okta accepts application/json but not text/html.",
        fix: 'Set Content-Type: application/scim+json on every SCIM response, errors included.',
      })
      return { status: 'pass', message: 'Every response with a body is application/scim+json.' }
    },
  },
  {
    id: 'transport.latency',
    title: "Every answer within the IdPs' 60 s limit",
    area: 'transport',
    spec: 'Okta FAQ (60 s socket timeout); Entra (60 s, Microsoft Q&A)',
    protects: 'A slow create is not retried into a 409 loop.',
    severity: sev('fail', 'fail', 'warn'),
    writes: false,
    phase: 'final',
    async run(ctx) {
      const answered = ctx.exchanges().filter((x) => x.response)
      const slowest = answered.reduce(
        (m, x) => (x.durationMs > (m?.durationMs ?? -1) ? x : m),
        answered[0],
      )
      const timeouts = ctx.exchanges().filter((x) => x.error?.code === 'network.timeout')
      check(timeouts.length === 0, `${timeouts.length} requests got no answer in time.`, {
        actual: timeouts.map((x) => `${x.request.method} ${x.request.url}`).join('; '),
        idpImpact:
          'The IdP closes the socket and retries; a create that finished late becomes a 409 forever.',
        fix: 'Answer every SCIM request well within 60 s; move slow work off the request path.',
      })
      if (!slowest) return { status: 'pass', message: 'No requests to time.' }
      const line = `${slowest.request.method} ${slowest.request.url} took ${Math.round(slowest.durationMs)} ms`
      check(slowest.durationMs < ctx.options.latencyFailMs, `${line}.`, {
        expected: `under ${ctx.options.latencyFailMs} ms`,
        actual: line,
        idpImpact: 'Okta and Entra give up after 60 s and retry the request.',
        fix: 'Answer every SCIM request well within 60 s.',
      })
      if (slowest.durationMs >= ctx.options.latencyWarnMs) {
        ctx.warn(`${line}; the IdPs allow 60 s but slow answers make large syncs take hours.`)
      }
      return { status: 'pass', message: `Slowest answer: ${line}.` }
    },
  },
  {
    id: 'transport.rate_limit',
    title: '429 answers carry an integer Retry-After',
    area: 'transport',
    spec: 'Okta SCIM concepts (rate limits: integer Retry-After, else 5 min doubling, 10 tries)',
    protects: 'A throttled sync resumes promptly instead of failing permanently.',
    severity: sev('fail', 'fail', 'info'),
    writes: false,
    phase: 'final',
    async run(ctx) {
      const events = ctx.rateLimits()
      if (events.length === 0) return { status: 'pass', message: 'No 429 seen during the run.' }
      const bad = events.filter((e) => parseRetryAfterSeconds(e.retryAfter) === undefined)
      check(
        bad.length === 0,
        `${bad.length} of ${events.length} 429 answers had no integer Retry-After.`,
        {
          expected: 'Retry-After: <seconds> (an integer)',
          actual: bad
            .map(
              (e) =>
                `${e.exchangeId}: ${e.retryAfter === null ? '(missing)' : JSON.stringify(e.retryAfter)}`,
            )
            .join('; '),
          idpImpact:
            'Okta then waits 5 minutes, doubling each time, and after 10 tries fails the task permanently; Entra may quarantine the job.',
          fix: 'Send Retry-After with whole seconds on every 429.',
        },
      )
      return {
        status: 'pass',
        message: `${events.length} 429 answers, all with an integer Retry-After (honoured).`,
      }
    },
  },
  {
    id: 'transport.server_errors',
    title: 'No 5xx answers or timeouts during the run',
    area: 'transport',
    spec: 'Entra quarantine rules; Okta provisioning tasks',
    protects: 'Transient failures do not pile up into IdP quarantine or manual tasks.',
    severity: sev('warn', 'warn', 'warn'),
    writes: false,
    phase: 'final',
    async run(ctx) {
      const bad = ctx
        .exchanges()
        .filter(
          (x) =>
            (x.response && x.response.status >= 500) || (x.error && x.error.code !== 'cancelled'),
        )
      check(bad.length === 0, `${bad.length} requests got a 5xx or no answer.`, {
        actual: bad
          .slice(0, 10)
          .map(
            (x) =>
              `${x.id} ${x.request.method} ${x.request.url} → ${x.response?.status ?? x.error?.code}`,
          )
          .join('; '),
        idpImpact:
          'Entra quarantines a job when most calls fail; Okta turns each failure into a task for an admin.',
        fix: 'See the server log for these requests.',
      })
      return { status: 'pass', message: 'No 5xx answers or timeouts.' }
    },
  },
]
