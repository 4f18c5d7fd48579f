// Child process for keytar-secret-store.test.ts: tries to store and read a secret through the
// keytar adapter and prints what happened as one JSON line. Exits 0 unless something crashed.
const { createKeytarSecretStore } = await import(process.env.PROBE_STORE)
const store = createKeytarSecretStore({ service: process.env.PROBE_SERVICE, timeoutMs: 20_000 })
const outcome = async (p) =>
  p.then(
    (value) => ({ ok: true, value: value ?? null }),
    (err) => ({
      code: err.code ?? 'not-an-app-error',
      message: err.message,
      hint: err.hint,
      reason: err.details?.reason,
    }),
  )
const set = await outcome(store.set('scim-token:probe:t:1', process.env.PROBE_SECRET))
const get = await outcome(store.get('scim-token:probe:t:1'))
if (set.ok) await store.delete('scim-token:probe:t:1').catch(() => {})
process.stdout.write(JSON.stringify({ set, get }) + '\n')
