import { registerEnumType } from '@nestjs/graphql';
import { JournalFormat } from './journal-export.service';

registerEnumType(JournalFormat, {
  name: 'JournalFormat',
  description: 'CSV: one row per entry (RFC 4180). LEDGER: an hledger / ledger-cli journal.',
});

export { JournalFormat };
