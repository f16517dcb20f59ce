import type { ChildDetails } from '../../src/features/children/service.ts'

// One child for tests: as the add-a-child form sends it, and as the service takes it.

export const childForm = {
  firstName: 'Ada',
  lastName: 'Hartley',
  preferredName: '',
  'dateOfBirth-day': '4',
  'dateOfBirth-month': '6',
  'dateOfBirth-year': '2021',
  sex: 'female',
  ethnicity: 'WBRI',
  siblingOf: '',
}

export const childDetailsFor = (overrides: Partial<ChildDetails> = {}): ChildDetails => ({
  firstName: 'Ada',
  lastName: 'Hartley',
  preferredName: null,
  dateOfBirth: '2021-06-04',
  sex: 'female',
  ethnicity: 'WBRI',
  siblingOf: null,
  ...overrides,
})
