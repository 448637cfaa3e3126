import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { IssuanceService } from './issuance.service';

/**
 * A new member account receives its currency's onboarding grant, when the
 * policy has one, right after it opens: a command of the posting path,
 * idempotent, so that it is never paid twice.
 */
@Injectable()
export class OnboardingGrant implements OnModuleInit {
  constructor(
    private readonly accounts: AccountsService,
    private readonly issuance: IssuanceService,
  ) {}

  onModuleInit(): void {
    this.accounts.addOpeningHooks({
      afterOpening: (_actor, account) => this.issuance.grantOnboarding(account),
    });
  }
}
