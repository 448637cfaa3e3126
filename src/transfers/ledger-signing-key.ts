import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppConfig } from '../common/config/app-config';

/**
 * The Ed25519 key that signs ledger checkpoints. It is read from
 * LEDGER_SIGNING_KEY_FILE (a PKCS#8 PEM private key) or, by default, from
 * `ledger-signing-key.pem` in DATA_DIR, which is generated there (readable by
 * its owner only) the first time a checkpoint is signed. Stewards verify
 * checkpoints against the public half, which every checkpoint carries and
 * `serverInfo` shows; keep the private key as carefully as the database
 * password, and keep it when moving the database, or older checkpoints will
 * read as signed by another key.
 */
@Injectable()
export class LedgerSigningKey {
  private readonly logger = new Logger(LedgerSigningKey.name);
  private readonly file: string;
  private keys: { privateKey: KeyObject; publicKeyPem: string } | undefined;

  constructor(config: ConfigService<AppConfig, true>) {
    const configured = config.get('LEDGER_SIGNING_KEY_FILE', { infer: true });
    this.file = resolve(
      configured ?? join(config.get('DATA_DIR', { infer: true }), 'ledger-signing-key.pem'),
    );
  }

  get publicKeyPem(): string {
    return this.load().publicKeyPem;
  }

  sign(text: string): string {
    return sign(null, Buffer.from(text, 'utf8'), this.load().privateKey).toString('base64');
  }

  /** Whether `signature` is an Ed25519 signature of `text` by `publicKeyPem`. */
  static verify(text: string, signature: string, publicKeyPem: string): boolean {
    try {
      return verify(
        null,
        Buffer.from(text, 'utf8'),
        createPublicKey(publicKeyPem),
        Buffer.from(signature, 'base64'),
      );
    } catch {
      return false;
    }
  }

  private load(): { privateKey: KeyObject; publicKeyPem: string } {
    if (this.keys !== undefined) return this.keys;
    let pem: string;
    try {
      pem = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      pem = this.generate();
    }
    const privateKey = createPrivateKey(pem);
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new Error(`${this.file} does not hold an Ed25519 private key`);
    }
    const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' });
    this.keys = { privateKey, publicKeyPem: publicKeyPem.toString() };
    return this.keys;
  }

  private generate(): string {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    mkdirSync(dirname(this.file), { recursive: true });
    try {
      // Exclusive: of two processes starting together, one writes and both read it.
      writeFileSync(this.file, pem, { mode: 0o600, flag: 'wx' });
      this.logger.log(`generated the ledger signing key in ${this.file}`);
      return pem;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return readFileSync(this.file, 'utf8');
    }
  }
}
