import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../common/config/app-config';
import { AccessAudit } from './access-audit';
import { AccessGuard } from './access.guard';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { ApiKeysService } from './api-keys.service';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';

function jwtSecret(config: ConfigService<AppConfig, true>): string {
  const secret = config.get('JWT_SECRET', { infer: true });
  if (secret !== undefined) return secret;
  new Logger('Auth').warn(
    'JWT_SECRET is not set: using a random secret, so tokens stop working when the server restarts. Set JWT_SECRET in production.',
  );
  return randomBytes(32).toString('hex');
}

@Module({
  imports: [
    DiscoveryModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        secret: jwtSecret(config),
        signOptions: {
          expiresIn: config.get('JWT_EXPIRES_IN_SECONDS', { infer: true }),
          algorithm: 'HS256',
        },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => [
        {
          name: 'auth',
          ttl: 60_000,
          limit: config.get('AUTH_RATE_LIMIT_PER_MINUTE', { infer: true }),
        },
      ],
    }),
  ],
  providers: [
    AuthService,
    ApiKeysService,
    AuthResolver,
    AdminBootstrapService,
    AccessAudit,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
