import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, loadConfig } from './common/config/app-config';
import { dataSourceOptions } from './common/database/data-source-options';
import { ComplexityPlugin } from './common/graphql/complexity.plugin';
import { ErrorReportingPlugin } from './common/graphql/error-reporting.plugin';
import { GraphQLCommonModule } from './common/graphql/graphql-common.module';
import { graphqlOptions } from './common/graphql/graphql-options';
import { HealthModule } from './common/health/health.module';
import { loggingParams } from './common/logging/logging';

export interface AppModuleOptions {
  /** The database to use: DATABASE_URL, or the embedded one started by main.ts. */
  databaseUrl: string;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const config = loadConfig(process.env);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: loadConfig }),
        LoggerModule.forRoot(loggingParams(config)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.databaseUrl, config.DATABASE_POOL_SIZE),
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [ConfigService],
          useFactory: (configService: ConfigService<AppConfig, true>) =>
            graphqlOptions(configService),
        }),
        GraphQLCommonModule,
        HealthModule,
      ],
      // Apollo plugins need the schema host that GraphQLModule provides here.
      providers: [ComplexityPlugin, ErrorReportingPlugin],
    };
  }
}
