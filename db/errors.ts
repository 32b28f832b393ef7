/**
 * Errors of the store. Each has a stable `name` so the worker client can
 * re-create the same class on the other side of the thread boundary.
 */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** Bad input: `path` says where (e.g. "contacts[1].phone"). */
export class ValidationError extends StoreError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}

export class NotFoundError extends StoreError {
  override name = 'NotFoundError';
}

export class ConflictError extends StoreError {
  override name = 'ConflictError';
}

/** The file was written by a newer Vakt; we refuse to open it rather than damage it. */
export class DatabaseTooNewError extends StoreError {
  override name = 'DatabaseTooNewError';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(`${file} has schema version ${found}, but this Vakt supports up to version ${supported}. ` + `It was written by a newer Vakt; install that version (or newer). The file was left untouched.`);
  }
}

/** The file is not a Vakt database (wrong application_id or not SQLite). */
export class NotAVaktDatabaseError extends StoreError {
  override name = 'NotAVaktDatabaseError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file} is not a Vakt database: ${reason}`);
  }
}

/** The file failed its integrity check; it is kept as it is. */
export class DatabaseCorruptError extends StoreError {
  override name = 'DatabaseCorruptError';
  constructor(
    readonly file: string,
    readonly problems: string[],
    readonly backups: string[],
  ) {
    const how = backups.length
      ? `Restore the newest backup with:\n  vakt restore "${backups[0]}" --data-dir "<data dir>"\n` + `Backups, newest first:\n${backups.map((b) => `  ${b}`).join('\n')}`
      : `No backups were found in the data dir's backups/ folder; keep the file and ask support for help.`;
    super(`The database ${file} is damaged (${problems.slice(0, 3).join('; ') || 'unreadable'}). ` + `It has NOT been changed or replaced. ${how}`);
  }
}

export class MigrationError extends StoreError {
  override name = 'MigrationError';
}

export class StoreClosedError extends StoreError {
  override name = 'StoreClosedError';
}

export const errorClasses = {
  StoreError,
  ValidationError,
  NotFoundError,
  ConflictError,
  DatabaseTooNewError,
  NotAVaktDatabaseError,
  DatabaseCorruptError,
  MigrationError,
  StoreClosedError,
} as const;
