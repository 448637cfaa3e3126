import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { TransfersService } from './transfers.service';

/**
 * Expires pending transfers whose time has passed even when nobody looks at
 * them, so that their holds are released. Reads expire them too; this
 * catches the rest, at most a few hundred per run.
 */
@Injectable()
export class ExpirySweeper {
  private readonly logger = new Logger(ExpirySweeper.name);
  private running = false;

  constructor(private readonly transfers: TransfersService) {}

  @Interval('expire-pending-transfers', 30_000)
  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.transfers.expireDue(500);
    } catch (error) {
      this.logger.error(
        { err: error },
        'expiring pending transfers failed; the next run tries again',
      );
    } finally {
      this.running = false;
    }
  }
}
