import type { Page } from 'playwright-core'
import type { Question } from '../../src/plan/definition.ts'

// Writing the plan through its pages, as the browser journeys do: every question shown answered, by
// its type, from the plan's definition, so a question added to the plan is written there too.

/** Choices that other answers depend on: funding from the Support Fund has an amount. */
const CHOSEN: Record<string, string> = { funding: 'asgsf' }

/** Answers every question shown, by its type, with text that names where it was written. */
export async function answerQuestions(page: Page, questions: Question[], where: string): Promise<void> {
  for (const q of questions) {
    switch (q.type) {
      case 'narrative':
        await page.locator(`textarea#${q.key}`).fill(`${where}: ${q.label}, written in full.\nA second line.`)
        break
      case 'text':
        await page.locator(`input#${q.key}`).fill(`${where} ${q.label}`.slice(0, q.maxLength ?? 200))
        break
      case 'email':
        await page.locator(`input#${q.key}`).fill('someone@agency.example')
        break
      case 'phone':
        await page.locator(`input#${q.key}`).fill('020 7946 0000')
        break
      case 'money':
        await page.locator(`input#${q.key}`).fill('1250.50')
        break
      case 'date': {
        const [day, month, year] = q.key.startsWith('end') ? ['31', '12', '2027'] : ['1', '9', '2026']
        await page.locator(`input#${q.key}-day`).fill(day)
        await page.locator(`input#${q.key}-month`).fill(month)
        await page.locator(`input#${q.key}-year`).fill(year)
        break
      }
      case 'choice': {
        const value = CHOSEN[q.key] ?? q.options[0]?.value
        await page.locator(`input[name="${q.key}"][value="${value}"]`).check()
        break
      }
      case 'networkMember':
        await page.locator(`select#${q.key}`).selectOption({ index: 1 })
        break
    }
  }
}

/** The status a section has on the plan's task list ("Completed", "In progress", …). */
export async function sectionStatus(page: Page, title: string): Promise<string> {
  const row = page.locator('.govuk-task-list__item', { hasText: title })
  return ((await row.locator('.govuk-task-list__status').textContent()) ?? '').trim()
}

/** Fills a GOV.UK date input (`<prefix>-day`, `-month`, `-year`) with an ISO date. */
export async function fillDate(page: Page, prefix: string, iso: string): Promise<void> {
  const [year, month, day] = iso.split('-')
  await page.locator(`#${prefix}-day`).fill(String(Number(day)))
  await page.locator(`#${prefix}-month`).fill(String(Number(month)))
  await page.locator(`#${prefix}-year`).fill(year as string)
}
