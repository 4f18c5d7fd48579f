// The log screen with 1,000,000 events in main: does the table keep scrolling at 60 frames per
// second in Chromium, and does the live tail keep up? Run: node bench/log-renderer.bench.ts
// (needs the built renderer: npx electron-vite build; Chromium at /usr/bin/chromium).
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import type { ProvisioningEvent } from '../src-shared/provisioning-event.ts'
import { startInProcess } from '../test/support/handler-test-context.ts'
import { createAppServices } from '../src-main/app-services.ts'
import { createLogger } from '../src-main/logger.ts'
import { createDispatcher } from '../src-main/dispatcher.ts'
import { createHandlers } from '../src-main/handlers/index.ts'
import { browserClipboard, browserDialogs } from '../src-main/web-host/browser-platform.ts'
import { startWebHost } from '../src-main/web-host/web-host.ts'

// The measuring functions run in the page; the node tsconfig has no DOM lib, hence these types.
interface PageNode {
  scrollTop: number
  textContent: string
  style: { cssText: string }
  append(...nodes: PageNode[]): void
  replaceChildren(): void
  remove(): void
}
interface PageGlobals {
  requestAnimationFrame(step: (now: number) => void): number
  document: { createElement(tag: string): PageNode; body: PageNode }
}

const EVENTS = 1_000_000
const FRAMES = 240
const root = resolve(import.meta.dirname, '..')
const rendererDir = resolve(root, 'out/renderer')
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error('No built renderer in out/renderer: run `npx electron-vite build` first.')
  process.exit(2)
}

function synthetic(seq: number, tenantId: string, t0: number): ProvisioningEvent {
  const n = seq % 50_000
  const user = `user${n}@acme.com`
  const kind = seq % 4
  return {
    seq,
    tenantId,
    time: new Date(t0 + seq).toISOString(),
    method: kind === 0 ? 'GET' : kind === 1 ? 'POST' : 'PATCH',
    path:
      kind === 0
        ? `/Users?filter=userName%20eq%20%22${encodeURIComponent(user)}%22`
        : kind === 1
          ? '/Users'
          : `/Users/id-${n}`,
    status: seq % 97 === 0 ? 409 : kind === 1 ? 201 : 200,
    durationMs: (seq % 40) + 1,
    resourceType: 'User',
    resourceId: kind === 0 ? null : `id-${n}`,
    userName: user,
    outcome: kind === 0 ? 'lookup_empty' : kind === 1 ? 'created' : 'updated',
    error: null,
    tokenHashPrefix: 'abcd1234',
    requestBody: kind === 0 ? null : { userName: user, active: true },
    responseBody: null,
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'scim-log-bench-'))
const services = await createAppServices({
  dataDir,
  env: { SCIM_CONSOLE_SECRET_STORE: 'memory' },
  osPlatform: process.platform,
  runtime: 'bench',
  execPath: process.execPath,
  clipboard: browserClipboard,
  dialogs: browserDialogs,
  startEmbedded: startInProcess,
})
const hub = services.events
const logger = createLogger({ write: () => undefined })
const dispatch = createDispatcher({ handlers: createHandlers(services, { logger }), logger })
const host = await startWebHost({ dispatch, hub, rendererDir, logger })
await (await services.backends.access()).listConnections()
const embedded = services.backends.embedded()!
const target = { connection: embedded.name, tenantId: embedded.tenantId }

// The screen's log, filled directly: the figure under test is the renderer, not the stream.
const log = await services.log.get(target)
const t0 = Date.now() - EVENTS
let seq = 10_000_000
const ingestStart = performance.now()
for (let done = 0; done < EVENTS; done += 10_000) {
  const batch: ProvisioningEvent[] = []
  for (let i = 0; i < 10_000; i++) batch.push(synthetic(seq++, target.tenantId, t0))
  log.index.insertMany(batch)
}
const ingestMs = performance.now() - ingestStart

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
})
const results: Array<{ measure: string; value: string; target: string; ok: boolean }> = []
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(host.pageUrl)
  await page.getByTestId('nav-log').click()
  await page.waitForSelector(`[data-testid="log-table"][data-total="${log.index.size}"]`)
  await page.waitForSelector('[data-testid="log-row"]')

  // Scroll by a wheel's worth per frame through the middle of the million, measuring frame gaps.
  const scroll = async (pxPerFrame: number, startAt: number): Promise<number[]> =>
    page.getByTestId('log-scroll').evaluate(
      (el, { px, frames, start }) =>
        new Promise<number[]>((done) => {
          const { requestAnimationFrame } = globalThis as unknown as PageGlobals
          el.scrollTop = start
          const gaps: number[] = []
          let last = performance.now()
          let n = 0
          const step = (now: number): void => {
            gaps.push(now - last)
            last = now
            el.scrollTop += px
            if (++n < frames) requestAnimationFrame(step)
            else done(gaps.slice(5))
          }
          requestAnimationFrame(step)
        }),
      { px: pxPerFrame, frames: FRAMES, start: startAt },
    )
  const report = (name: string, gaps: number[], isTarget = true): void => {
    const sorted = [...gaps].sort((a, b) => a - b)
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length
    const p95 = sorted[Math.floor(sorted.length * 0.95)]!
    const fps = 1000 / mean
    const long = gaps.filter((g) => g > 1000 / 30).length
    results.push({
      measure: `${name}: frames per second (mean) / p95 frame / frames > 33 ms`,
      value: `${fps.toFixed(1)} fps / ${p95.toFixed(1)} ms / ${long}`,
      target: isTarget ? '≥ 55 fps' : '(reference)',
      ok: !isTarget || fps >= 55,
    })
  }
  const middle = 15_000_000
  // References on this machine: frames with nothing to do, and the same scroll over a plain
  // 30,000,000 px element without React (what the browser alone costs).
  report('reference: idle, no scroll', await scroll(0, middle), false)
  const plain = await page.evaluate(
    ({ frames }) =>
      new Promise<number[]>((done) => {
        const { requestAnimationFrame, document } = globalThis as unknown as PageGlobals
        const box = document.createElement('div')
        box.style.cssText = 'position:fixed;inset:0;overflow-y:auto;z-index:9;background:#fff'
        const inner = document.createElement('div')
        inner.style.cssText = 'height:30000000px;position:relative'
        box.append(inner)
        document.body.append(box)
        box.scrollTop = 15_000_000
        const gaps: number[] = []
        let last = performance.now()
        let n = 0
        const step = (now: number): void => {
          gaps.push(now - last)
          last = now
          box.scrollTop += 120
          inner.replaceChildren()
          const first = Math.floor(box.scrollTop / 30)
          for (let i = first; i < first + 30; i++) {
            const row = document.createElement('div')
            row.style.cssText = `position:absolute;top:${i * 30}px;height:30px;font:12px monospace`
            row.textContent = `row ${i} GET /Users?filter=userName eq "user${i}@acme.com" 200`
            inner.append(row)
          }
          if (++n < frames) requestAnimationFrame(step)
          else {
            box.remove()
            done(gaps.slice(5))
          }
        }
        requestAnimationFrame(step)
      }),
    { frames: FRAMES },
  )
  report('reference: plain DOM, no React, 120 px per frame', plain, false)
  report('wheel scroll, 120 px per frame, mid-log', await scroll(120, middle))
  report('fast scroll, 3,000 px per frame', await scroll(3_000, middle / 2))
  const rendered = await page.getByTestId('log-row').count()
  results.push({
    measure: 'rows in the DOM with 1,000,000 events',
    value: String(rendered),
    target: '< 100',
    ok: rendered < 100,
  })

  // Live tail at the bottom while 2,000 events a second arrive (batched by main).
  await page.getByTestId('log-scroll').evaluate((el) => {
    el.scrollTop = el.scrollHeight
  })
  const live = setInterval(() => {
    const batch: ProvisioningEvent[] = []
    for (let i = 0; i < 200; i++) batch.push(synthetic(seq++, target.tenantId, t0))
    log.index.insertMany(batch)
    hub.emit('log.event', {
      ...target,
      added: batch.length,
      newestSeq: seq - 1,
      size: log.index.size,
    })
  }, 100)
  const liveGaps = await scroll(0, 1e9)
  clearInterval(live)
  report('following the live tail at 2,000 events/s', liveGaps)
  const lastSeq = String(seq - 1)
  await page.waitForSelector(`[data-testid="log-row"][data-seq="${lastSeq}"]`)
  results.push({
    measure: 'newest event shown after the live run',
    value: 'yes',
    target: 'yes',
    ok: true,
  })
} finally {
  await browser.close()
  await host.close()
  await services.close()
  rmSync(dataDir, { recursive: true, force: true })
}

console.log(`index fill (not the figure under test): ${EVENTS} events in ${ingestMs.toFixed(0)} ms`)
console.log('| measure | value | target |\n|---|---|---|')
for (const r of results)
  console.log(`| ${r.measure} | ${r.value} | ${r.target}${r.ok ? '' : ' MISSED'} |`)
process.exit(results.every((r) => r.ok) ? 0 : 1)
