import type { DatabaseSync } from 'node:sqlite'

/**
 * A trigram index of users' lower-cased userNames (FTS5, contentless, rowid = users.seq) for
 * `userName co` and `userName ew`: without it those read every userName of the tenant. A
 * needle of three characters or more occurs in a userName only if all its trigrams occur there
 * in a row, so the index's phrase match finds every hit (and a few more, which the exact test
 * the filter compiler keeps beside it removes); shorter needles scan as before.
 *
 * Kept in step by triggers on `users`, inside the statement that writes the user, so no write
 * path can forget it and a rolled-back write rolls it back too. Created and filled in place for
 * a data folder written before it.
 */

export const NAME_TRIGRAMS = 'users_name_trigrams'

/** The shortest needle the trigram index can serve. */
export const MIN_TRIGRAM_NEEDLE = 3

export function ensureNameTrigrams(db: DatabaseSync): void {
  const exists = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(NAME_TRIGRAMS)
  if (exists) return
  db.exec(
    `CREATE VIRTUAL TABLE ${NAME_TRIGRAMS} USING fts5(user_name_lower, content='', contentless_delete=1, tokenize='trigram case_sensitive 1')`,
  )
  db.exec(
    `INSERT INTO ${NAME_TRIGRAMS} (rowid, user_name_lower) SELECT seq, user_name_lower FROM users`,
  )
  db.exec(`CREATE TRIGGER users_name_trigrams_insert AFTER INSERT ON users BEGIN
    INSERT INTO ${NAME_TRIGRAMS} (rowid, user_name_lower) VALUES (new.seq, new.user_name_lower);
  END`)
  db.exec(`CREATE TRIGGER users_name_trigrams_delete AFTER DELETE ON users BEGIN
    DELETE FROM ${NAME_TRIGRAMS} WHERE rowid = old.seq;
  END`)
  db.exec(`CREATE TRIGGER users_name_trigrams_update AFTER UPDATE OF user_name_lower ON users
    WHEN old.user_name_lower IS NOT new.user_name_lower BEGIN
    DELETE FROM ${NAME_TRIGRAMS} WHERE rowid = old.seq;
    INSERT INTO ${NAME_TRIGRAMS} (rowid, user_name_lower) VALUES (new.seq, new.user_name_lower);
  END`)
}

/** An FTS5 query matching the text as one phrase (its trigrams in a row). */
export function trigramPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`
}
