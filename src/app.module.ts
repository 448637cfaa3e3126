import { ApolloDriver, ApolloDriverConfig } from './common/graphql/apollo-driver';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { GraphQLModule, GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ScheduleModule } from '@nestjs/schedule';
import { AccountsModule } from './accounts/accounts.module';
import { CurrenciesModule } from './currencies/currencies.module';
import { IssuanceModule } from './issuance/issuance.module';
import { StandingOrdersModule } from './standing-orders/standing-orders.module';
import { TransfersModule } from './transfers/transfers.module';
import { ReportsModule } from './reports/reports.module';
import { ShopsModule } from './shops/shops.module';
import { NotificationsModule } from './notifications/notifications.module';
import { SubscriptionServer } from './notifications/subscription-server';
import { FundsModule } from './funds/funds.module';
import { PublicFundsModule } from './public-funds/public-funds.module';
import { DirectoryModule } from './directory/directory.module';
import { AuthModule } from './auth/auth.module';
import { CommunitiesModule } from './communities/communities.module';
import { createValidationPipe } from './common/errors/validation';
import { SystemModule } from './system/system.module';
import { UsersModule } from './users/users.module';
import { ERROR_TABLE, REFUSAL_CLASSES } from './error-table';
import { AppConfig, loadConfig } from './common/config/app-config';
import { dataSourceOptions } from './common/database/data-source-options';
import { installCommunitySetting } from './common/database/tenancy';
import { ComplexityPlugin } from './common/graphql/complexity.plugin';
import { ErrorReportingPlugin } from './common/graphql/error-reporting.plugin';
import { GraphQLCommonModule } from './common/graphql/graphql-common.module';
import { graphqlOptions } from './common/graphql/graphql-options';
import { EmbeddedDatabaseMonitor, HealthModule } from './common/health/health.module';
import { GraphQLExceptionFilter } from './common/logging/graphql-exception.filter';
import { loggingParams } from './common/logging/logging';
import { installErrorTable } from './common/errors/error-codes';

export interface AppModuleOptions {
  /** The database to use: DATABASE_URL, or the embedded one started by main.ts. */
  databaseUrl: string;
  /** Settings that override the environment (tests use this for tight limits). */
  env?: Record<string, string>;
  /** The embedded PostgreSQL's supervisor, when main.ts started one: /health reports it. */
  embeddedDatabase?: EmbeddedDatabaseMonitor;
}

// Refusals answer with the API code their module gives them.
installErrorTable(ERROR_TABLE, REFUSAL_CLASSES);

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const config = loadConfig({ ...process.env, ...options.env });
    return {
      module: AppModule,
      imports: [
        // Validated once (main.ts stops on a bad value before getting here);
        // services read it through ConfigService<AppConfig, true>.
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          load: [() => config],
        }),
        LoggerModule.forRoot(loggingParams(config)),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(
              options.databaseUrl,
              config.DATABASE_POOL_SIZE,
              config.DATABASE_APPLICATION_NAME,
            ),
            // Each module registers its own entities (TypeOrmModule.forFeature).
            autoLoadEntities: true,
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          // Every pooled connection carries the community of the work that
          // takes it, for the row-level security policies.
          dataSourceFactory: async (resolved) => {
            if (resolved === undefined) throw new Error('TypeORM gave no options');
            return installCommunitySetting(await new DataSource(resolved).initialize());
          },
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [NotificationsModule],
          inject: [ConfigService, SubscriptionServer],
          useFactory: (
            configService: ConfigService<AppConfig, true>,
            subscriptions: SubscriptionServer,
          ) =>
            graphqlOptions(configService, subscriptions.options() as GraphQLWsSubscriptionsConfig),
        }),
        GraphQLCommonModule,
        SystemModule,
        HealthModule.forRoot(options.embeddedDatabase),
        AuthModule,
        CommunitiesModule,
        UsersModule,
        ScheduleModule.forRoot(),
        CurrenciesModule,
        AccountsModule,
        TransfersModule,
        IssuanceModule,
        StandingOrdersModule,
        FundsModule,
        ReportsModule,
        ShopsModule,
        NotificationsModule,
        PublicFundsModule,
        DirectoryModule,
      ],
      providers: [
        // Apollo plugins need the schema host that GraphQLModule provides here.
        ComplexityPlugin,
        ErrorReportingPlugin,
        { provide: APP_PIPE, useFactory: createValidationPipe },
        // Errors of GraphQL operations are logged once, by the level their kind deserves.
        { provide: APP_FILTER, useClass: GraphQLExceptionFilter },
      ],
    };
  }
}
