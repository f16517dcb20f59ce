import { type Kysely, sql } from 'kysely'

// Hints beside the plan's questions belong to each agency (ADR 0010): agencies word their local
// services differently. A row is an agency's own wording for one place in the plan's definition
// (src/plan/guidance.ts names the places); without a row the definition's default is shown. Nothing
// wrote this table before, so it is empty: were it not, `not null` stops the migration rather than
// guess whose wording a row was.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table guidance drop constraint guidance_pkey;
    alter table guidance add column agency_id uuid not null references agencies (id);
    alter table guidance add primary key (agency_id, path);
    alter table guidance add constraint guidance_hint_written check (btrim(hint) <> '');
  `.execute(db)
}
