import { Injectable } from '@nestjs/common';
import { PaymentRow, ShopsStore } from '../shops/shops.store';
import { LedgerListener } from './ledger-listener';
import { LedgerEvent } from './notification-hub';

/** At most this many events are read in one statement. */
const BATCH = 500;

interface Pending {
  event: LedgerEvent;
  resolve: (row: PaymentRow | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Reads the payment behind each announced entry for the tills that wait
 * for it: the events that arrive together are read in one statement, on
 * the listening connection, one statement at a time. A till's event then
 * waits neither for a pooled connection nor behind the requests that keep
 * the pool busy (the payments themselves, at a busy counter). An event is
 * read once however many tills of the shop listen.
 */
@Injectable()
export class PaymentEvents {
  private readonly loaded = new WeakMap<LedgerEvent, Promise<PaymentRow | null>>();
  private pending: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly store: ShopsStore,
    private readonly listener: LedgerListener,
  ) {}

  /** The payment an event announces, or null when the entry is not a payment into its account. */
  paymentOf(event: LedgerEvent): Promise<PaymentRow | null> {
    let loaded = this.loaded.get(event);
    if (loaded === undefined) {
      loaded = new Promise((resolve, reject) => this.pending.push({ event, resolve, reject }));
      this.loaded.set(event, loaded);
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    }
    return loaded;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, BATCH);
      try {
        const rows = await this.store.paymentsAt(
          batch.map((item) => item.event),
          (sql, parameters) => this.listener.query(sql, parameters),
        );
        const found = new Map(
          rows.map((row) => [`${row.accountId}/${row.sequence.toString()}`, row]),
        );
        for (const item of batch) {
          item.resolve(
            found.get(`${item.event.accountId}/${item.event.sequence.toString()}`) ?? null,
          );
        }
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.flushing = false;
  }
}
