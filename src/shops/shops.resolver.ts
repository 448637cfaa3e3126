import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { Access, COMMUNITY_ROLES } from '../access/access.decorator';
import { Actor, ApiKeyScope } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { Connection, pageSize, toConnection } from '../common/pagination/connection';
import { formatAmount } from '../ledger';
import { AccountLoaders } from '../accounts/account-loaders';
import { Transfer } from '../transfers/transfer.model';
import { toTransferShell } from '../transfers/transfers.resolver';
import {
  CreatePaymentRequestInput,
  PaymentRequestsArgs,
  PaymentsSinceArgs,
  PayPaymentRequestInput,
  RefundPaymentInput,
  RequestPaymentsArgs,
  ShopSalesArgs,
} from './dto/shop.inputs';
import { PaymentRequestEntity } from './payment-request.entity';
import { Payment, PaymentRequest, PaymentRequestStatus, ShopSales } from './payment-request.model';
import {
  paymentRequestStatus,
  PaymentRequestsService,
  toPayment,
} from './payment-requests.service';
import { paymentQrSvg, paymentUri } from './payment-uri';

const PaymentRequestConnection = Connection(PaymentRequest, 'PaymentRequest');
const PaymentConnection = Connection(Payment, 'Payment');

export function toPaymentRequestShell(entity: PaymentRequestEntity): PaymentRequest {
  return {
    id: entity.id,
    toAccountId: entity.toAccountId,
    currencyCode: entity.currencyCode,
    memo: entity.memo,
    reference: entity.reference,
    reusable: entity.reusable,
    expiresAt: entity.expiresAt,
    createdAt: entity.createdAt,
    paymentUri: paymentUri(entity.id),
    entity,
  } as PaymentRequest;
}

/** A till key may create requests (CREATE_PAYMENT_REQUESTS) and read payments (READ_PAYMENTS); it never pays or refunds. */
const READ_PAYMENTS = [ApiKeyScope.READ_PAYMENTS];
const CREATE_PAYMENT_REQUESTS = [ApiKeyScope.CREATE_PAYMENT_REQUESTS];

@Resolver(() => PaymentRequest)
export class ShopsResolver {
  constructor(
    private readonly requests: PaymentRequestsService,
    private readonly accountLoaders: AccountLoaders,
  ) {}

  @Mutation(() => PaymentRequest, {
    description:
      'A shop (or its till key) asks to be paid into one of its SHOP accounts: a fixed or open amount, single-use or reusable.',
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: CREATE_PAYMENT_REQUESTS })
  async createPaymentRequest(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreatePaymentRequestInput,
  ): Promise<PaymentRequest> {
    return toPaymentRequestShell(await this.requests.create(actor, input));
  }

  @Mutation(() => PaymentRequest, {
    description: 'The shop (or its till key) withdraws an open request; it can no longer be paid.',
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: CREATE_PAYMENT_REQUESTS })
  async cancelPaymentRequest(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PaymentRequest> {
    return toPaymentRequestShell(await this.requests.cancel(actor, id));
  }

  @Mutation(() => Transfer, {
    description:
      'Pay a payment request from one of your accounts: a PAYMENT transfer, with the currency’s limits and fees. A single-use request is paid once; paying one that is paid, cancelled or expired is a CONFLICT that says which.',
  })
  @Access({ roles: COMMUNITY_ROLES })
  async payPaymentRequest(
    @CurrentActor() actor: Actor,
    @Args('input') input: PayPaymentRequestInput,
  ): Promise<Transfer> {
    return toTransferShell(await this.requests.pay(actor, input));
  }

  @Mutation(() => Transfer, {
    description:
      'The shop refunds all (amount omitted) or part of a payment to its payer; all refunds of a payment together never exceed it. Not for till keys.',
  })
  @Access({ roles: COMMUNITY_ROLES })
  async refundPayment(
    @CurrentActor() actor: Actor,
    @Args('input') input: RefundPaymentInput,
  ): Promise<Transfer> {
    return toTransferShell(await this.requests.refund(actor, input));
  }

  @Query(() => PaymentRequest, {
    description:
      'What a payer is about to pay: any member of the community; a till key, its own shop’s requests.',
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: READ_PAYMENTS })
  async paymentRequest(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PaymentRequest> {
    return toPaymentRequestShell(await this.requests.get(actor, id));
  }

  @Query(() => PaymentRequestConnection, {
    description: "A shop account's payment requests, newest first.",
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: READ_PAYMENTS })
  async paymentRequests(@CurrentActor() actor: Actor, @Args() args: PaymentRequestsArgs) {
    const size = pageSize(args);
    const rows = await this.requests.list(actor, args.accountId, args.status, args.after, size + 1);
    return toConnection(rows, size, toPaymentRequestShell, (row) => [
      row.createdAt.toISOString(),
      row.id,
    ]);
  }

  @Query(() => PaymentConnection, {
    description:
      'Payments into an account after a Payment.cursor (from the first without one), oldest first. A till that reconnects asks for those after the last it saw, and misses none.',
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: READ_PAYMENTS })
  async paymentsSince(@CurrentActor() actor: Actor, @Args() args: PaymentsSinceArgs) {
    const size = pageSize(args);
    const rows = await this.requests.paymentsSince(actor, args.accountId, args.after, size + 1);
    const connection = toConnection(rows, size, toPayment, () => []);
    // The cursor of a payment is its own: its position in the account's history.
    connection.edges.forEach((edge) => (edge.cursor = edge.node.cursor));
    connection.pageInfo.endCursor = connection.edges.at(-1)?.cursor ?? args.after ?? null;
    return connection;
  }

  @Query(() => ShopSales, {
    description:
      "A shop account's sales for [from, to): default today (UTC). Count, total received, fees, refunds and net.",
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: READ_PAYMENTS })
  shopSales(@CurrentActor() actor: Actor, @Args() args: ShopSalesArgs): Promise<ShopSales> {
    return this.requests.sales(actor, args.accountId, args.from, args.to);
  }

  @ResolveField(() => PaymentRequestStatus)
  status(@Parent() request: PaymentRequest): PaymentRequestStatus {
    return paymentRequestStatus(request.entity);
  }

  @ResolveField(() => String)
  async shopName(
    @Parent() request: PaymentRequest,
    @Context() context: GraphQLContext,
  ): Promise<string> {
    const loaders = this.accountLoaders.for(context.req, request.entity.communityId);
    const account = await loaders.account.load(request.entity.toAccountId);
    if (account === null) throw new Error(`payment request ${request.id} has no account`);
    const owner = account.ownerId === null ? null : await loaders.user.load(account.ownerId);
    return owner?.displayName ?? account.name;
  }

  @ResolveField(() => Decimal, { nullable: true })
  async amount(
    @Parent() request: PaymentRequest,
    @Context() context: GraphQLContext,
  ): Promise<string | null> {
    if (request.entity.amountMinor === null) return null;
    return formatAmount(BigInt(request.entity.amountMinor), await this.scale(request, context));
  }

  @ResolveField(() => String)
  qrSvg(@Parent() request: PaymentRequest): Promise<string> {
    return paymentQrSvg(request.paymentUri);
  }

  @ResolveField(() => Decimal)
  async paidAmount(
    @Parent() request: PaymentRequest,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<string> {
    const paidMinor = (await this.requests.seesAllPayments(actor, request.entity))
      ? BigInt(request.entity.paidMinor)
      : await this.requests.paidByUser(request.entity, actor.userId);
    return formatAmount(paidMinor, await this.scale(request, context));
  }

  @ResolveField(() => [Payment])
  async payments(
    @Parent() request: PaymentRequest,
    @CurrentActor() actor: Actor,
    @Args() args: RequestPaymentsArgs,
  ): Promise<Payment[]> {
    if (!(await this.requests.seesAllPayments(actor, request.entity))) return [];
    return this.requests.paymentsOfRequest(request.entity, args.first ?? 100);
  }

  private async scale(request: PaymentRequest, context: GraphQLContext): Promise<number> {
    const currency = await this.accountLoaders
      .for(context.req, request.entity.communityId)
      .currency.load(request.entity.currencyCode);
    if (currency === null) throw new Error(`payment request ${request.id} has no currency`);
    return currency.scale;
  }
}
