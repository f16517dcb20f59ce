import type { FastifyInstance } from 'fastify'
import { type PlanStatus, STATUS_NAMES } from '../../plan/lifecycle.ts'
import { toCsv } from '../../platform/csv.ts'
import { todayInEngland } from '../../platform/dates.ts'
import { requestedPage } from '../../platform/pagination.ts'
import { staff } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import type { BarometerRow } from './figures.ts'

// The team manager's Barometer page: the agency's totals, then each plan, 25 a page; and the same
// figures for every plan as a CSV file.

const yesNo = (value: boolean | null, unknown: string) => (value === null ? unknown : value ? 'Yes' : 'No')
const day = (at: Date | null) => (at ? todayInEngland(at) : null)
const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((100 * part) / whole))

function involvement(row: BarometerRow): string {
  const ways = [
    row.commented ? 'commented' : '',
    row.gaveViews ? 'gave their views' : '',
    row.met ? 'planning meeting' : '',
  ].filter(Boolean)
  return ways.length === 0 ? 'No' : `Yes: ${ways.join(', ')}`
}

export async function barometerRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/barometer', { config: { permission: 'barometer:view' } }, async (request, reply) => {
    const { totals, rows, page, pages } = await services.barometer.page(
      staff(request),
      requestedPage(request.query),
    )
    const count = (value: number) => Number(value)
    const figure = (part: number, whole: number) => ({
      part: count(part),
      whole: count(whole),
      percent: percent(count(part), count(whole)),
    })
    return reply.render('barometer/views/barometer.njk', {
      title: 'Adoption UK Barometer: your agency’s plans',
      result: { page, pages, total: count(totals.plans) },
      totals: {
        plans: count(totals.plans),
        sharedBeforePanel: figure(totals.sharedBeforePanel, totals.wentToPanel),
        involved: figure(totals.involved, totals.plans),
        read: figure(totals.read, totals.plans),
        writtenPlanAtPlacement: figure(totals.writtenPlanAtPlacement, totals.placed),
        notReadBeforePlacement: figure(totals.notReadBeforePlacement, totals.placed),
      },
      rows: rows.map((row) => ({
        planId: row.planId,
        child: `${row.firstName} ${row.lastName}`,
        status: STATUS_NAMES[row.status as PlanStatus] ?? row.status,
        sharedBeforePanel: yesNo(row.sharedBeforePanel, 'Not been to panel yet'),
        involved: involvement(row),
        firstShared: day(row.firstSharedAt),
        firstRead: day(row.firstReadAt),
        placedOn: row.placedOn,
        writtenPlanAtPlacement: yesNo(row.writtenPlanAtPlacement, 'Not placed yet'),
      })),
    })
  })

  app.get('/barometer.csv', { config: { permission: 'barometer:view' } }, async (request, reply) => {
    const rows = await services.barometer.all(staff(request), request.id)
    const flag = (value: boolean | null) => (value === null ? '' : value ? 'yes' : 'no')
    const csv = toCsv([
      [
        'Plan',
        'Child',
        'Status',
        'Shared before panel',
        'Involved',
        'Commented',
        'Gave their views',
        'Planning meeting',
        'First shared',
        'First read by the adopters',
        'Placed',
        'Written plan at placement',
        'Read before placement',
      ],
      ...rows.map((row) => [
        row.planId,
        `${row.firstName} ${row.lastName}`,
        row.status,
        flag(row.sharedBeforePanel),
        flag(row.involved),
        flag(row.commented),
        flag(row.gaveViews),
        flag(row.met),
        day(row.firstSharedAt),
        day(row.firstReadAt),
        row.placedOn,
        flag(row.writtenPlanAtPlacement),
        flag(row.readBeforePlacement),
      ]),
    ])
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="barometer-${todayInEngland()}.csv"`)
      .send(csv)
  })
}
