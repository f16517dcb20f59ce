import { type Kysely, sql } from 'kysely'

// Single sign-on for staff: each agency may name one OpenID Connect provider (its Microsoft Entra
// ID tenant, say), and a member of staff's account remembers the identity that signed in to it.
// The client secret is stored sealed (AES-256-GCM under a key derived from SESSION_SECRET), never
// in clear. Nobody's account is created by single sign-on: an identity is only ever linked to an
// account that already exists.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table identity_providers (
      agency_id uuid primary key references agencies (id),
      issuer text not null,
      client_id text not null,
      client_secret_sealed text not null,
      enforces_mfa boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    alter table users add column sso_issuer text;
    alter table users add column sso_subject text;
    create unique index users_sso_identity on users (sso_issuer, sso_subject) where sso_subject is not null;
  `.execute(db)
}
