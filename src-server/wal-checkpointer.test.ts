import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE, openDatabase } from './db.ts'
import { startWalCheckpointer } from './wal-checkpointer.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'wal-ckpt-'))
  dirs.push(d)
  return d
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await sleep(20)
}

describe('background WAL checkpoint (real sqlite files, a real worker thread)', () => {
  it('copies committed pages into the database file once told there were commits', async () => {
    const dir = folder()
    const file = join(dir, DATABASE_FILE)
    const db = openDatabase(dir)
    // The server connection's own checkpoint off, so only the worker can move pages.
    db.exec('PRAGMA wal_autocheckpoint = 0')
    db.exec('CREATE TABLE filler (x TEXT)')
    const insert = db.prepare('INSERT INTO filler (x) VALUES (?)')
    db.exec('BEGIN')
    for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'x'.repeat(200)}`)
    db.exec('COMMIT')
    const before = statSync(file).size
    const logs: Record<string, unknown>[] = []
    const checkpointer = startWalCheckpointer(file, (e) => logs.push(e), 10)
    checkpointer.committed()
    await until(() => statSync(file).size > before)
    expect(statSync(file).size).toBeGreaterThan(before)
    await checkpointer.stop()
    await checkpointer.stop() // twice is harmless
    const n = db.prepare('SELECT COUNT(*) AS n FROM filler').get() as { n: number }
    expect(n.n).toBe(2000)
    db.close()
    expect(logs).toEqual([])
  })

  it('does nothing while nothing was committed', async () => {
    const dir = folder()
    const file = join(dir, DATABASE_FILE)
    const db = openDatabase(dir)
    db.exec('PRAGMA wal_autocheckpoint = 0')
    db.exec('CREATE TABLE filler (x TEXT)')
    db.prepare('INSERT INTO filler (x) VALUES (?)').run('x'.repeat(50_000))
    const before = statSync(file).size
    const checkpointer = startWalCheckpointer(file, () => {}, 10)
    await sleep(200)
    expect(statSync(file).size).toBe(before)
    await checkpointer.stop()
    db.close()
  })

  it('reports a database it cannot open once, as a warning, and stops cleanly', async () => {
    const dir = folder()
    const logs: Record<string, unknown>[] = []
    const checkpointer = startWalCheckpointer(join(dir, 'missing', 'db.sqlite'), (e) =>
      logs.push(e),
    )
    await until(() => logs.length > 0)
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatchObject({ level: 'warn', msg: 'background WAL checkpoint failed' })
    await checkpointer.stop()
  })
})
