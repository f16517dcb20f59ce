// Long lists come a page at a time, pages and API alike: 25 rows, pages counted from 1, and a page
// past the end shows the last one rather than nothing.

export const PAGE_SIZE = 25

/** Which page to show of `total` rows, and where its rows start. */
export function pageWindow(total: number, requested = 1) {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
  const page = Math.min(Math.max(1, Math.trunc(requested)), pages)
  return { page, pages, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }
}

/** The page a list page was asked for in its address (`?page=3`), 1 when it is missing or wrong. */
export function requestedPage(query: unknown): number {
  const page = (query as Record<string, unknown> | undefined)?.page
  return Number.parseInt(String(page ?? '1'), 10) || 1
}
