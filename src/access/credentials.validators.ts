import { applyDecorators } from '@nestjs/common';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords';

/** Shared validation for emails, new passwords, display names and community slugs. */
export const ValidEmail = () =>
  applyDecorators(IsEmail({}, { message: 'must be an email address' }), MaxLength(254));

export const ValidNewPassword = () =>
  applyDecorators(
    IsString(),
    MinLength(PASSWORD_MIN_LENGTH, {
      message: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
    }),
    MaxLength(PASSWORD_MAX_LENGTH, {
      message: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
    }),
  );

export const ValidDisplayName = () =>
  applyDecorators(
    IsString(),
    MinLength(1, { message: 'must not be empty' }),
    MaxLength(100, { message: 'must be at most 100 characters' }),
  );

export const ValidSlug = () =>
  applyDecorators(
    IsString(),
    Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, {
      message:
        'must be 2 to 63 lower-case letters, digits or dashes, starting with a letter or digit',
    }),
  );
