import { z } from 'zod'

// What every resource of the API shares: the problem document (RFC 9457), an id in the path, and
// a list's pages. Named once, so the OpenAPI document has one `Problem`.

export const problemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string().optional() })
  .meta({ id: 'Problem' })

export const idParams = z.object({ id: z.string().max(64) })

export const pageNumber = z.coerce.number().int().min(1).max(100_000).default(1)

/** One page of a list: its items, which page it is, how many pages and items in all. */
export const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.object({
    items: z.array(item),
    page: z.number().int(),
    pages: z.number().int(),
    total: z.number().int(),
  })
