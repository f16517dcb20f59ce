import { type Kysely, sql } from 'kysely'

// The mail outbox: a message is a row written in the transaction of the change that caused it, so
// a change that rolls back sends nothing and a change that commits is never left unannounced. A row
// holds the address, the kind of message and a path on this service; never a subject or a body,
// which are rendered from fixed text when the message is sent, so no name can be stored here.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mail_outbox (
      id uuid primary key default gen_random_uuid(),
      to_address text not null,
      kind text not null,
      link text,
      dedupe_key text unique,
      created_at timestamptz not null default now(),
      send_after timestamptz not null default now(),
      attempts integer not null default 0,
      locked_until timestamptz,
      last_error text,
      sent_at timestamptz,
      gave_up_at timestamptz
    );
    create index mail_outbox_due on mail_outbox (send_after) where sent_at is null and gave_up_at is null;
  `.execute(db)
}
