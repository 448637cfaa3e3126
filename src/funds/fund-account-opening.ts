import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccountKind } from '../ledger';
import { AccountsService } from '../accounts/accounts.service';
import { recordFund } from './record-fund';

/**
 * A FUND account never exists without its stewards and approval rule: they
 * are recorded in the transaction that opens it.
 */
@Injectable()
export class FundAccountOpening implements OnModuleInit {
  constructor(private readonly accounts: AccountsService) {}

  onModuleInit(): void {
    this.accounts.addOpeningHooks({
      whileOpening: async (manager, actor, account, input) => {
        if (account.kind === AccountKind.FUND) {
          await recordFund(manager, actor, account.id, input);
        }
      },
    });
  }
}
