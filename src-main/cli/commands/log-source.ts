import type { ParseArgsOptionsConfig } from 'node:util'
import { AppError } from '../../../src-shared/errors.ts'
import {
  eventSources,
  sourceOf,
  testTrafficSources,
  type EventSource,
  type ProvisioningEvent,
} from '../../../src-shared/provisioning-event.ts'

/**
 * Who sent each event, for `log tail` and `log export`: the `--source` choice and the same default
 * as the Log screen, where the console's own test traffic (harness runs, replays) is hidden until
 * asked for ("Show test traffic" there, `--include-test-traffic` here), so the harness's expected
 * 400/404/409s do not read as the IdP's failures in a terminal either.
 */

export const INCLUDE_TEST_TRAFFIC = '--include-test-traffic'

export const sourceOptions = {
  source: { type: 'string' },
  'include-test-traffic': { type: 'boolean', default: false },
} as const satisfies ParseArgsOptionsConfig

export interface SourceValues {
  source?: string
  'include-test-traffic': boolean
}

export interface SourceSelection {
  /** The sources to keep; undefined keeps every event. */
  sources: EventSource[] | undefined
  /** True when the default left test traffic out, so the command says how much it hid. */
  hidesTestTraffic: boolean
}

const NOT_TEST: EventSource[] = eventSources.filter((s) => !testTrafficSources.includes(s))
const ALLOWED = eventSources.join(', ')

/** `--source idp,other` (any case, comma-separated), `--include-test-traffic`, or the default. */
export function parseSourceOption(o: SourceValues, usage: string): SourceSelection {
  if (o.source === undefined) {
    return o['include-test-traffic']
      ? { sources: undefined, hidesTestTraffic: false }
      : { sources: NOT_TEST, hidesTestTraffic: true }
  }
  if (o['include-test-traffic']) {
    throw new AppError(
      'cli.usage',
      `--source and ${INCLUDE_TEST_TRAFFIC} cannot be combined: --source already says which events to show.`,
      {
        hint: `Name the test sources in --source (for example --source idp,harness), or drop --source and keep ${INCLUDE_TEST_TRAFFIC}. Usage: scim-console ${usage}`,
      },
    )
  }
  const parts = o.source.split(',').map((p) => p.trim().toLowerCase())
  const bad = parts.filter((p) => !(eventSources as readonly string[]).includes(p))
  if (parts.length === 0 || bad.length > 0) {
    throw new AppError(
      'cli.usage',
      `--source takes ${ALLOWED} (comma-separated)${bad.length ? `, not "${bad.join('", "')}"` : ''}.`,
      {
        hint: `For example --source idp,other. Test traffic (harness, replay) is left out unless --source names it or ${INCLUDE_TEST_TRAFFIC} is given.`,
      },
    )
  }
  return { sources: [...new Set(parts as EventSource[])], hidesTestTraffic: false }
}

export function keepsSource(sel: SourceSelection, e: ProvisioningEvent): boolean {
  return sel.sources === undefined || sel.sources.includes(sourceOf(e))
}

/** A line's source column: the `--source` value that selects it, with the IdP's name. */
export function sourceTag(e: Pick<ProvisioningEvent, 'source' | 'sourceIdp'>): string {
  const source = sourceOf(e)
  if (source !== 'idp') return source
  return e.sourceIdp && e.sourceIdp !== 'other' ? `idp:${e.sourceIdp}` : 'idp'
}

/** On stderr, so stdout stays the events alone. */
export function testTrafficNotice(hidden: number): string {
  return `${hidden} test-traffic event${hidden === 1 ? '' : 's'} (harness runs, replays) not shown: add ${INCLUDE_TEST_TRAFFIC} to see ${hidden === 1 ? 'it' : 'them'}.\n`
}
