import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Communities, their users (members, shops, stewards), invites, shop till
 * keys and the login-failure counters. Every table is keyed by community_id
 * first. The reserved "deployment" community holds the admins, so that they
 * too have a community_id; no money ever moves in it.
 */
export class Identity1795616017894 implements MigrationInterface {
  name = 'Identity1795616017894';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE communities (
        community_id uuid NOT NULL,
        slug character varying(64) NOT NULL,
        name character varying(200) NOT NULL,
        open_signup boolean NOT NULL DEFAULT true,
        created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT pk_communities PRIMARY KEY (community_id),
        CONSTRAINT uq_communities_slug UNIQUE (slug)
      )`);
    await queryRunner.query(`
      CREATE TABLE users (
        community_id uuid NOT NULL,
        id uuid NOT NULL,
        email character varying(254) NOT NULL,
        display_name character varying(100) NOT NULL,
        role character varying(16) NOT NULL,
        status character varying(16) NOT NULL DEFAULT 'ACTIVE',
        password_hash character varying(200) NOT NULL,
        token_version integer NOT NULL DEFAULT '0',
        created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (community_id, id),
        CONSTRAINT uq_users_email UNIQUE (community_id, email),
        CONSTRAINT ck_users_role CHECK (role IN ('MEMBER', 'SHOP', 'STEWARD', 'ADMIN')),
        CONSTRAINT ck_users_status CHECK (status IN ('ACTIVE', 'SUSPENDED')),
        CONSTRAINT fk_users_community FOREIGN KEY (community_id) REFERENCES communities (community_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE invites (
        community_id uuid NOT NULL,
        id uuid NOT NULL,
        code_hash character varying(64) NOT NULL,
        role character varying(16) NOT NULL,
        email character varying(254),
        created_by uuid NOT NULL,
        created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
        used_at TIMESTAMP WITH TIME ZONE,
        used_by uuid,
        CONSTRAINT pk_invites PRIMARY KEY (community_id, id),
        CONSTRAINT ck_invites_role CHECK (role IN ('MEMBER', 'SHOP', 'STEWARD')),
        CONSTRAINT fk_invites_community FOREIGN KEY (community_id) REFERENCES communities (community_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE api_keys (
        community_id uuid NOT NULL,
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        name character varying(100) NOT NULL,
        secret_hash character varying(64) NOT NULL,
        scopes text array NOT NULL,
        created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        revoked_at TIMESTAMP WITH TIME ZONE,
        CONSTRAINT pk_api_keys PRIMARY KEY (community_id, id),
        CONSTRAINT fk_api_keys_user FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id)
      )`);
    await queryRunner.query(`
      CREATE TABLE login_failures (
        community_id uuid NOT NULL,
        email character varying(254) NOT NULL,
        failures integer NOT NULL,
        last_failed_at TIMESTAMP WITH TIME ZONE NOT NULL,
        locked_until TIMESTAMP WITH TIME ZONE,
        CONSTRAINT pk_login_failures PRIMARY KEY (community_id, email)
      )`);
    await queryRunner.query(`
      INSERT INTO communities (community_id, slug, name, open_signup)
      VALUES ('00000000-0000-0000-0000-000000000000', 'deployment', 'Deployment administrators', false)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE login_failures');
    await queryRunner.query('DROP TABLE api_keys');
    await queryRunner.query('DROP TABLE invites');
    await queryRunner.query('DROP TABLE users');
    await queryRunner.query('DROP TABLE communities');
  }
}
