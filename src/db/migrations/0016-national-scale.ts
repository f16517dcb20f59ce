import { type Kysely, sql } from 'kysely'

// What a national scale showed (bench/data: 40 agencies, 30,000 children, 300,000 versions).
//
// A plan's lead worker is looked up by the caseload and the reminders, and had no index: each
// look-up read every plan in the country.
//
// The audit search by person read all of the person's events and all of the agency's, then sorted
// them, to show fifty: with one index on both, it reads the fifty newest and stops.
//
// The network's names are read with the removed ones (a need still names the person who provided
// it), which the list's index (of people not removed) cannot answer: every save read every network
// member in the country (11 to 15 ms at 165,000 of them).
//
// A plan version is a whole plan as JSON, 5 to 50 KB, written once and read often. PostgreSQL
// compresses such values with pglz unless told otherwise; lz4 makes them about the same size three
// times faster to write (measured loading synthetic versions: 5.2 s against 1.7 s for 90 MB) and is
// quicker to read back. Only where the server has lz4 (PostgreSQL 14 and later, built with it, as
// Debian's is); the embedded database has not, and keeps pglz. Values already stored keep theirs.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index plans_lead_worker on plans (lead_worker_id);
    create index audit_events_agency_who on audit_events (agency_id, who, seq);
    create index plan_network_members_plan_all on plan_network_members (plan_id);
  `.execute(db)
  const { rows } = await sql<{ lz4: boolean }>`
    select coalesce('lz4' = any(enumvals), false) as lz4
    from pg_settings where name = 'default_toast_compression'`.execute(db)
  if (!rows[0]?.lz4) return
  await sql`
    alter table plan_versions alter column content set compression lz4;
    alter table plan_sections alter column answers set compression lz4;
  `.execute(db)
}
