import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { EmbeddedDatabaseState } from '../database/embedded-database';

export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

/**
 * GET /health: 200 with the database's state when it answers within a
 * second and a half, 503 otherwise. Load balancers and docker-compose use it.
 * On the embedded PostgreSQL it also shows the supervisor's view: `up` with
 * the postmaster's pid, or `restarting` after it died, and how often it has
 * been restarted.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(EMBEDDED_DATABASE)
    private readonly embedded: { state(): EmbeddedDatabaseState } | null,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    const embedded = this.embedded;
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1500 }),
      ...(embedded === null ? [] : [() => this.embeddedCheck(embedded.state())]),
    ]);
  }

  private embeddedCheck(state: EmbeddedDatabaseState): HealthIndicatorResult {
    const session = this.indicators.check('embeddedDatabase');
    const { status, ...details } = state;
    return status === 'up' ? session.up(details) : session.down({ state: status, ...details });
  }
}
