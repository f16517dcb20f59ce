import assert from 'node:assert/strict'
import { test } from 'node:test'
import { childForm } from '../../../test/support/children.ts'
import { formValues, parseChildForm } from './form.ts'

const typed = { ...childForm, firstName: ' Ada ' }

test('a complete form becomes a child’s details', () => {
  const parsed = parseChildForm(formValues(typed))
  assert.ok(parsed.ok)
  assert.deepEqual(parsed.details, {
    firstName: 'Ada',
    lastName: 'Hartley',
    preferredName: null,
    dateOfBirth: '2021-06-04',
    sex: 'female',
    ethnicity: 'WBRI',
    siblingOf: null,
  })
})

test('the date input explains what is missing or wrong, and the summary links to that box', () => {
  const cases: [Record<string, string>, string, string][] = [
    [
      { 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' },
      'Enter the child’s date of birth',
      'day',
    ],
    [{ 'dateOfBirth-month': '' }, 'Date of birth must include a month', 'month'],
    [{ 'dateOfBirth-year': '21' }, 'Year must include 4 numbers', 'year'],
    [{ 'dateOfBirth-day': '30', 'dateOfBirth-month': '2' }, 'Date of birth must be a real date', 'day'],
    [{ 'dateOfBirth-year': '2999' }, 'Date of birth must be today or in the past', 'day'],
  ]
  for (const [change, message, part] of cases) {
    const parsed = parseChildForm(formValues({ ...typed, ...change }))
    assert.ok(!parsed.ok)
    assert.equal(parsed.errors.errors.dateOfBirth, message)
    assert.deepEqual(parsed.errors.errorList, [{ text: message, href: `#dateOfBirth-${part}` }])
  }
})

test('errors come in the order of the page, one per field', () => {
  const parsed = parseChildForm(
    formValues({ ...typed, firstName: '', sex: '', ethnicity: 'XXXX', siblingOf: 'nope' }),
  )
  assert.ok(!parsed.ok)
  assert.deepEqual(
    parsed.errors.errorList.map((error) => error.href),
    ['#firstName', '#sex', '#ethnicity', '#siblingOf'],
  )
  assert.equal(parsed.errors.errors.firstName, 'Enter the child’s first name')
})

test('overlong names and markup are turned away', () => {
  const long = parseChildForm(formValues({ ...typed, lastName: 'x'.repeat(101) }))
  assert.ok(!long.ok && long.errors.errors.lastName === 'The last name must be 100 characters or fewer')
  const markup = parseChildForm(formValues({ ...typed, preferredName: '<b>' }))
  assert.ok(!markup.ok && /must not include/.test(markup.errors.errors.preferredName ?? ''))
})
