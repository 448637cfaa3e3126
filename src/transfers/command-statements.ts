import { escapeLiteral } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AppError } from '../common/errors/app-error';

/**
 * The statements of one ledger command, in one transaction.
 *
 * Each statement sent to PostgreSQL costs a round trip and a socket write on
 * both sides, and on a busy server that, not the work in the statements,
 * bounds how many transfers a second it posts. A transfer needs four
 * statements (BEGIN, lock, write, COMMIT), but BEGIN and COMMIT carry no data:
 * when the command owns its transaction, BEGIN travels with the first
 * statement and COMMIT with the last, in one message each, so a transfer
 * costs two round trips.
 *
 * Several statements fit in one message only in PostgreSQL's simple query
 * protocol, which takes no separate parameters, so those statements carry
 * their values in the text as literals written by `sqlLiteral`: every string
 * escaped by pg's `escapeLiteral`, every array as an escaped array literal,
 * nothing else accepted. That pays for small commands only: a batch's
 * statements carry thousands of values, which cost more to write out and for
 * PostgreSQL to read as text than the two round trips they would save, so
 * large commands send BEGIN and COMMIT apart and their values as
 * parameters (`merge: false`). Inside a transaction someone else owns (a
 * fund's vote that settles a disbursement), statements run as they are,
 * with parameters.
 */
export abstract class CommandStatements {
  constructor(readonly manager: EntityManager) {}

  /** Runs one statement of the command; the rows it returns. */
  abstract query<T>(sql: string, parameters: unknown[]): Promise<T[]>;

  /**
   * Makes sure the transaction has begun, before a statement sent some other
   * way (through `manager`).
   */
  abstract begin(): Promise<void>;

  /** Runs the command's last statement, if any, and commits when the command owns the transaction. */
  abstract finish(sql?: string, parameters?: unknown[]): Promise<void>;

  /**
   * Runs `work` in a transaction of its own on a pooled connection, rolling
   * back whatever it leaves unfinished.
   */
  static async owned<T>(
    dataSource: DataSource,
    options: { merge: boolean },
    work: (statements: CommandStatements) => Promise<T>,
  ): Promise<T> {
    const runner = dataSource.createQueryRunner();
    const client = (await runner.connect()) as PgClient;
    const statements = new OwnedStatements(runner, client, options.merge);
    try {
      const result = await work(statements);
      if (!statements.finished) await statements.finish();
      return result;
    } catch (error) {
      await statements.abandon();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Statements inside a transaction the caller owns. */
  static within(manager: EntityManager): CommandStatements {
    return new NestedStatements(manager);
  }
}

interface PgResult {
  rows: unknown[];
}

interface PgClient {
  query(text: string, values?: unknown[]): Promise<PgResult | PgResult[]>;
}

class OwnedStatements extends CommandStatements {
  finished = false;

  constructor(
    private readonly runner: QueryRunner,
    private readonly client: PgClient,
    private readonly merge: boolean,
  ) {
    super(runner.manager);
  }

  /** Whether BEGIN has been sent; TypeORM is told too, so that its locking reads run here. */
  private get begun(): boolean {
    return this.runner.isTransactionActive;
  }

  private set begun(value: boolean) {
    (this.runner as { isTransactionActive: boolean }).isTransactionActive = value;
  }

  async query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    if (this.merge) return (await this.send(inlineParameters(sql, parameters))) as T[];
    await this.begin();
    return ((await this.client.query(sql, parameters)) as PgResult).rows as T[];
  }

  async begin(): Promise<void> {
    if (this.begun) return;
    this.begun = true;
    await this.client.query('BEGIN');
  }

  async finish(sql?: string, parameters: unknown[] = []): Promise<void> {
    if (sql !== undefined && this.merge) {
      await this.send(`${inlineParameters(sql, parameters)};\nCOMMIT`);
    } else if (sql !== undefined) {
      await this.query(sql, parameters);
      await this.client.query('COMMIT');
    } else if (this.begun) {
      await this.client.query('COMMIT');
    }
    this.finished = true;
    this.begun = false;
  }

  /** Rolls back an unfinished transaction; a connection that failed is left for the pool to drop. */
  async abandon(): Promise<void> {
    if (!this.begun || this.finished) return;
    this.finished = true;
    this.begun = false;
    try {
      await this.client.query('ROLLBACK');
    } catch {
      // The connection is gone or broken; nothing was committed.
    }
  }

  /** Sends one message, with BEGIN in front when the transaction has not begun; the rows of its main statement. */
  private async send(text: string): Promise<unknown[]> {
    const first = !this.begun;
    // Counted as begun as soon as BEGIN is sent: if the statement behind it fails, the
    // transaction is open and failed, and must be rolled back.
    this.begun = true;
    const result = await this.client.query(first ? `BEGIN;\n${text}` : text);
    const results = Array.isArray(result) ? result : [result];
    // BEGIN, when sent, answers first and COMMIT, when sent, last; the statement is in between.
    return results[first && results.length > 1 ? 1 : 0].rows;
  }
}

class NestedStatements extends CommandStatements {
  query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return this.manager.query<T[]>(sql, parameters);
  }

  async begin(): Promise<void> {}

  async finish(sql?: string, parameters: unknown[] = []): Promise<void> {
    if (sql !== undefined) await this.manager.query(sql, parameters);
  }
}

/**
 * Replaces the placeholders $1, $2, … of one of the ledger's own statements
 * (which hold no quoted text or dollar-quoted strings of their own) with the
 * parameters as SQL literals.
 */
export function inlineParameters(sql: string, parameters: unknown[]): string {
  const literals = parameters.map(sqlLiteral);
  return sql.replace(/\$(\d+)/g, (_placeholder, index: string) => {
    const literal = literals[Number(index) - 1];
    if (literal === undefined)
      throw new Error(`statement uses $${index} but has no such parameter`);
    return literal;
  });
}

/**
 * One value as an SQL literal: NULL, true/false, an integer as digits, text
 * (and dates, as ISO text) quoted by pg's escapeLiteral, an array as an
 * escaped array literal of such elements. Anything else is refused, and so
 * is text holding a NUL character, which PostgreSQL cannot store.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) {
    return value.toString();
  }
  if (Array.isArray(value)) return escapeLiteral(arrayLiteral(value));
  return escapeLiteral(textOf(value));
}

function arrayLiteral(values: unknown[]): string {
  const elements = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'boolean') return value ? 't' : 'f';
    return `"${textOf(value).replace(/[\\"]/g, (character) => `\\${character}`)}"`;
  });
  return `{${elements.join(',')}}`;
}

function textOf(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value))) {
    text = value.toString();
  } else {
    throw new Error(`cannot write a ${typeof value} into a ledger statement`);
  }
  if (text.includes('\u0000')) {
    throw new AppError('INVALID_INPUT', 'Text may not contain NUL characters');
  }
  return text;
}
