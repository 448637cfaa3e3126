import { Controller, Get, Logger, Param, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { isSteward } from '../access/actor';
import { AuthService } from '../auth/auth.service';
import { scopeRequest } from '../common/database/tenancy';
import { HTTP_STATUS_OF } from '../common/errors/api-error-code';
import { AppError, invalidInput } from '../common/errors/app-error';
import { apiCodeFor } from '../common/errors/error-codes';
import { parseInstant } from '../common/graphql/date-time.scalar';
import { CurrenciesService } from '../currencies/currencies.service';
import { JournalExportService, JournalFormat, JournalRequest } from './journal-export.service';
import { checkPeriod } from './report-scope';

/**
 * GET /exports/<CODE>.csv and GET /exports/<CODE>.journal, with optional
 * `from` and `to` instants (ISO 8601) in the query string: the same exports
 * as the exportJournal query, without its size limit, for downloading. The
 * caller authenticates exactly as for GraphQL (Authorization: Bearer
 * <token>) and must be a steward; refusals come before the first byte, in
 * GraphQL's error shape with the matching HTTP status. The body is streamed
 * page by page, waiting for the client to take each page before reading the
 * next, so a slow or large download holds one page in memory; a download that
 * fails half-way is cut off rather than ended cleanly, so that it cannot be
 * mistaken for a complete file.
 */
const EXPORT_FILE = /^([A-Z][A-Z0-9]{1,9})\.(csv|journal)$/;

/** The client went away: nothing is left to write to. */
class ClientGone extends Error {
  override name = 'ClientGone';
}

@Controller('exports')
export class ExportsController {
  private readonly logger = new Logger(ExportsController.name);

  constructor(
    private readonly auth: AuthService,
    private readonly currencies: CurrenciesService,
    private readonly journals: JournalExportService,
  ) {}

  @Get(':file')
  async download(
    @Param('file') file: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let request: JournalRequest;
    try {
      request = await this.prepare(file, req);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const code = apiCodeFor(error.code);
      res.status(HTTP_STATUS_OF[code]).json({
        errors: [
          { message: error.message, extensions: { code, reason: error.code, ...error.details } },
        ],
      });
      return;
    }
    const csv = request.format === JournalFormat.CSV;
    res.status(200);
    res.setHeader(
      'Content-Type',
      csv ? 'text/csv; charset=utf-8; header=present' : 'text/plain; charset=utf-8',
    );
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${request.currency.code}.${csv ? 'csv' : 'journal'}"`,
    );
    res.setHeader('Cache-Control', 'no-store');
    try {
      await this.journals.write(request, (chunk) => writeChunk(res, chunk));
      res.end();
    } catch (error) {
      if (!(error instanceof ClientGone)) {
        this.logger.error(
          { err: error, currencyCode: request.currency.code },
          'export failed half-way; the download was cut off',
        );
      }
      res.destroy();
    }
  }

  private async prepare(file: string, req: Request): Promise<JournalRequest> {
    const actor = await this.auth.resolveActor(req.headers.authorization);
    if (actor === undefined) {
      throw new AppError('UNAUTHENTICATED', 'Log in first: send Authorization: Bearer <token>');
    }
    if (!isSteward(actor)) throw new AppError('FORBIDDEN', 'Only stewards export the books');
    // Everything this request still reads is its steward's community's.
    scopeRequest(actor.communityId);
    const match = EXPORT_FILE.exec(file);
    if (match === null) {
      throw new AppError(
        'NOT_FOUND',
        'No such export: ask for /exports/<CURRENCY>.csv or /exports/<CURRENCY>.journal',
      );
    }
    const from = instantParameter(req, 'from');
    const to = instantParameter(req, 'to');
    checkPeriod(from, to);
    const currency = await this.currencies.get(actor.communityId, match[1]);
    return {
      communityId: actor.communityId,
      currency,
      from,
      to,
      format: match[2] === 'csv' ? JournalFormat.CSV : JournalFormat.LEDGER,
    };
  }
}

function instantParameter(req: Request, name: 'from' | 'to'): Date | undefined {
  const value: unknown = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidInput(name, `${name}: give one ISO 8601 instant`);
  try {
    return parseInstant(value);
  } catch (error) {
    throw invalidInput(name, `${name}: ${error instanceof Error ? error.message : 'invalid'}`);
  }
}

/** Writes a chunk, resolving once the response can take more. */
function writeChunk(res: Response, chunk: string): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.reject(new ClientGone());
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const settle = () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
    };
    const onDrain = () => {
      settle();
      resolve();
    };
    const onClose = () => {
      settle();
      reject(new ClientGone());
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
