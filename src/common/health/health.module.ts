import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EmbeddedDatabaseState } from '../database/embedded-database';
import { EMBEDDED_DATABASE, HealthController } from './health.controller';

/** The embedded database's supervisor, as far as the health check needs it. */
export interface EmbeddedDatabaseMonitor {
  state(): EmbeddedDatabaseState;
}

@Module({})
export class HealthModule {
  /** `embedded`: the supervisor of the embedded PostgreSQL, when the server runs one. */
  static forRoot(embedded?: EmbeddedDatabaseMonitor): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [{ provide: EMBEDDED_DATABASE, useValue: embedded ?? null }],
    };
  }
}
