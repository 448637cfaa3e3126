import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { AppConfig } from '../common/config/app-config';
import { AccessAudit } from './access-audit';
import { CommunityScopeInterceptor } from './community-scope.interceptor';
import { AccessGuard } from './access.guard';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { ApiKeysService } from './api-keys.service';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { LoginFailureEntity } from './login-failure.entity';
import { UsersModule } from '../users/users.module';

/**
 * The signing secret as a KeyObject made once. Given a string, jsonwebtoken
 * first tries to parse it as a PEM key on every sign and verify, fails, and
 * only then makes a secret key of it: that failed parse cost about a tenth
 * of the server's CPU on authenticated requests. A KeyObject skips it; the
 * key bytes are the secret's UTF-8 bytes exactly as before, so tokens issued
 * with the string stay valid.
 */
function jwtSecret(config: ConfigService<AppConfig, true>): KeyObject {
  let secret = config.get('JWT_SECRET', { infer: true });
  if (secret === undefined) {
    new Logger('Auth').warn(
      'JWT_SECRET is not set: using a random secret, so tokens stop working when the server restarts. Set JWT_SECRET in production.',
    );
    secret = randomBytes(32).toString('hex');
  }
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

@Module({
  imports: [
    TypeOrmModule.forFeature([ApiKeyEntity, LoginFailureEntity]),
    UsersModule,
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
          // 'default' gives the standard header names: Retry-After, X-RateLimit-Limit, …
          name: 'default',
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
    // After the guard: the operation runs as work of the actor's community.
    { provide: APP_INTERCEPTOR, useClass: CommunityScopeInterceptor },
  ],
  exports: [AuthService],
})
export class AuthModule {}
