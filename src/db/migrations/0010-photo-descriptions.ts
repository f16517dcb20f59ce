import { type Kysely, sql } from 'kysely'

// A photo on the plan's front page carries a short description, written by the person who uploads
// it, for everyone who reads the plan with a screen reader (and for the printed plan's alt text).
// Photos stay immutable: a new photo is a new row. Removing one marks it removed, and it is never
// shown again; like every record here, nothing is hard-deleted by a user (domain.md, "Records").

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table photos add column description text not null default '';
    alter table photos add column removed_at timestamptz;
    alter table photos add column removed_by uuid references users (id);
  `.execute(db)
}
