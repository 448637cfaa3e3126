import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountKind } from '../ledger';
import { Actor } from '../access/actor';
import { AccountDirectoryArgs } from './directory.args';
import { DirectoryAccount } from './directory.model';

/**
 * The community's directory of payees: who a member can pay, found by name.
 * It lists OPEN MEMBER, SHOP and FUND accounts of one currency in the
 * caller's community whose owner is active, by name, with nothing but the
 * account id, its kind and the names a counterparty sees on a statement
 * anyway; never a balance, a limit or an e-mail. System accounts are never
 * listed.
 */
@Injectable()
export class DirectoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(actor: Actor, args: AccountDirectoryArgs): Promise<DirectoryAccount[]> {
    const kinds =
      args.kind === undefined || args.kind === null
        ? PAYABLE_KINDS
        : PAYABLE_KINDS.filter((kind) => kind === args.kind);
    if (kinds.length === 0) return [];
    const pattern =
      args.search === undefined || args.search === null ? null : `%${escapeLike(args.search)}%`;
    const rows = await this.dataSource.query<
      Array<{
        id: string;
        kind: AccountKind;
        name: string;
        account_name: string;
        currency_code: string;
      }>
    >(
      `SELECT a.id, a.kind, coalesce(u.display_name, a.name) AS name, a.name AS account_name,
              a.currency_code
         FROM accounts a
         LEFT JOIN users u ON u.community_id = a.community_id AND u.id = a.owner_id
        WHERE a.community_id = $1 AND a.currency_code = $2 AND a.status = 'OPEN'
          AND a.kind = ANY($3::text[])
          AND (a.owner_id IS NULL OR u.status = 'ACTIVE')
          AND ($4::text IS NULL OR coalesce(u.display_name, a.name) ILIKE $4 ESCAPE '\\')
        ORDER BY lower(coalesce(u.display_name, a.name)), a.id
        LIMIT $5`,
      [actor.communityId, args.currencyCode, kinds, pattern, args.first ?? 20],
    );
    return rows.map((row) => ({
      accountId: row.id,
      kind: row.kind,
      name: row.name,
      accountName: row.account_name,
      currencyCode: row.currency_code,
    }));
  }
}

const PAYABLE_KINDS: AccountKind[] = [AccountKind.MEMBER, AccountKind.SHOP, AccountKind.FUND];

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
