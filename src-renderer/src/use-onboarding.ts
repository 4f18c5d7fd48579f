import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import type { OktaApp, OnboardingStatus } from '../../src-shared/channels/onboarding.ts'
import { unwrap } from './api-error.ts'
import { useApi } from './api-context.tsx'
import { downloadFile } from './lib/download.ts'
import type { ActiveTarget } from './use-connections.ts'
import { useUiStore } from './use-ui-store.ts'

const statusKey = (target: ActiveTarget | null) =>
  ['onboarding.status', target?.connection, target?.tenantId] as const

/**
 * Where the tenant stands. Polled only while something moves on its own: the pre-go-live test
 * runs, or go-live waits for the IdP's first requests.
 */
export function useOnboardingStatus(target: ActiveTarget | null) {
  const api = useApi()
  const client = useQueryClient()
  // Other screens' panels change the backend too (the SSO push, tokens): any successful mutation
  // re-reads where the tenant stands, so a tick never waits for a reload.
  useEffect(
    () =>
      client.getMutationCache().subscribe((e) => {
        if (e.type === 'updated' && e.action.type === 'success')
          void client.invalidateQueries({ queryKey: ['onboarding.status'] })
      }),
    [client],
  )
  return useQuery({
    queryKey: statusKey(target),
    queryFn: () => unwrap(api['onboarding.status'](target!)),
    enabled: target !== null,
    refetchInterval: (query) => {
      const s = query.state.data
      if (!s || query.state.error) return false
      const testing = s.test?.running === true
      const waiting = s.goLive.startedAt !== null && s.goLive.firstUser === null
      return testing || waiting ? 1000 : false
    },
  })
}

/** A step's action: its answer is the new status, which replaces the cached one. */
function useStep<V>(target: ActiveTarget | null, call: (vars: V) => Promise<OnboardingStatus>) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: call,
    onSuccess: (status) => {
      client.setQueryData(statusKey(target), status)
      void client.invalidateQueries({ queryKey: ['connections.overview'] })
      void client.invalidateQueries({ queryKey: ['tokens.list'] })
    },
  })
}

export function useOnboardingActions(target: ActiveTarget | null) {
  const api = useApi()
  const client = useQueryClient()
  const t = () => target!
  return {
    confirmConnect: useStep(target, () => unwrap(api['onboarding.confirmConnect'](t()))),
    confirmSso: useStep(target, () => unwrap(api['onboarding.confirmSso'](t()))),
    confirmScim: useStep(target, (vars: { tokenId: string; oktaApp: OktaApp }) =>
      unwrap(api['onboarding.confirmScim']({ ...t(), ...vars })),
    ),
    beginGoLive: useStep(target, () => unwrap(api['onboarding.beginGoLive'](t()))),
    reset: useStep(target, () => unwrap(api['onboarding.reset'](t()))),
    startTest: useMutation({
      mutationFn: () => unwrap(api['onboarding.startTest'](t())),
      onSuccess: () => client.invalidateQueries({ queryKey: statusKey(target) }),
    }),
    exportHtml: useMutation({
      mutationFn: async () => {
        return downloadFile(await unwrap(api['onboarding.export'](t())))
      },
    }),
  }
}

/** Checks done of the running pre-go-live test, from the `harness.progress` stream. */
export function useTestProgress(runId: string | null): { done: number; total: number } {
  const api = useApi()
  const client = useQueryClient()
  useEffect(
    () =>
      api.on('harness.progress', ({ runId: id, event }) => {
        if (event.type === 'run.started')
          client.setQueryData(testProgressKey(id), { done: 0, total: event.checks.length })
        else if (event.type === 'check.finished')
          client.setQueryData(testProgressKey(id), { done: event.done, total: event.total })
      }),
    [api, client],
  )
  // Filled only by the events above; nothing to fetch.
  const progress = useQuery({
    queryKey: testProgressKey(runId),
    queryFn: () => client.getQueryData<TestProgress>(testProgressKey(runId)) ?? noProgress,
    enabled: false,
  })
  return progress.data ?? noProgress
}

interface TestProgress {
  done: number
  total: number
}
const noProgress: TestProgress = { done: 0, total: 0 }
const testProgressKey = (runId: string | null) => ['onboarding.testProgress', runId] as const

/**
 * The app opens on Onboarding; once the first status shows the tenant is onboarded, it moves on to
 * the Connection screen, unless the person already went somewhere else.
 */
export function useOnboardingLanding(target: ActiveTarget | null): void {
  const status = useOnboardingStatus(target)
  const decided = useRef(false)
  const setScreen = useUiStore((s) => s.setScreen)
  useEffect(() => {
    if (decided.current || !status.data) return
    decided.current = true
    if (status.data.complete && useUiStore.getState().screen === 'onboarding')
      setScreen('connection')
  }, [status.data, setScreen])
}
