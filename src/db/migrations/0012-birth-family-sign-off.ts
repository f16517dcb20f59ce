import { type Kysely, sql } from 'kysely'

// Birth family sign-off (issue 5, ADR 0014). A link or a letter's code lets one birth relative read
// the support section 4 of the plan offers them and confirm or decline it, once. Only a keyed hash of
// the link or code is kept. The answer stays on the row with what the relative was shown when they
// gave it. A paper signature can be recorded instead: the scan, the name and the date signed.
// Nothing here is ever deleted: a link is withdrawn (revoked) or closed, never removed.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table birth_family_links (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agencies (id),
      plan_id uuid not null references plans (id),
      relative_id uuid not null references plan_birth_family_support (id),
      kind text not null check (kind in ('link', 'code')),
      secret_hash text not null unique,
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      revoked_by uuid references users (id),
      first_opened_at timestamptz,
      answered_at timestamptz,
      answer text check (answer in ('confirmed', 'declined')),
      answer_name text,
      answer_date date,
      decline_reason text,
      answered_content jsonb,
      closed_at timestamptz,
      check ((answered_at is null) = (answer is null))
    );
    create index birth_family_links_plan on birth_family_links (plan_id, created_at);
    create index birth_family_links_relative on birth_family_links (relative_id);

    create table birth_family_signatures (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agencies (id),
      plan_id uuid not null references plans (id),
      relative_id uuid not null references plan_birth_family_support (id),
      signed_name text not null,
      signed_on date not null,
      media_type text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
      bytes bytea not null,
      sha256 text not null,
      shown_content jsonb not null,
      recorded_by uuid not null references users (id),
      recorded_at timestamptz not null default now()
    );
    create index birth_family_signatures_plan on birth_family_signatures (plan_id, recorded_at);
  `.execute(db)
}
