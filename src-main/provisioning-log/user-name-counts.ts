/**
 * Distinct userNames an EventIndex has seen, by interned key id (a flag per id, no Set of
 * strings): all of them, and apart those the IdP's own traffic named, which is what the diagnosis
 * counts ("requests for M other users did").
 */
export class UserNameCounts {
  #all = new Uint8Array(1024)
  #idp = new Uint8Array(1024)
  #count = 0
  #idpCount = 0

  mark(id: number, byIdp: boolean): void {
    if (id >= this.#all.length) {
      let size = this.#all.length
      while (size <= id) size *= 2
      const all = new Uint8Array(size)
      all.set(this.#all)
      this.#all = all
      const idp = new Uint8Array(size)
      idp.set(this.#idp)
      this.#idp = idp
    }
    if (this.#all[id] === 0) {
      this.#all[id] = 1
      this.#count++
    }
    if (byIdp && this.#idp[id] === 0) {
      this.#idp[id] = 1
      this.#idpCount++
    }
  }

  /** How many, minus the given ids that are among them. */
  count(except: Iterable<number>, idpOnly: boolean): number {
    const flags = idpOnly ? this.#idp : this.#all
    let n = idpOnly ? this.#idpCount : this.#count
    for (const id of new Set(except)) if (flags[id] === 1) n--
    return n
  }
}
