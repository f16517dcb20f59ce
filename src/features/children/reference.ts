// The codes a child's record uses, with the words people see. Ethnicity follows the Department for
// Education's categories for children looked after (SSDA903), so the national return needs no
// translation; sex follows the same return's recorded sex.

export const SEXES = [
  { code: 'female', text: 'Female' },
  { code: 'male', text: 'Male' },
] as const

export const ETHNICITIES = [
  { code: 'WBRI', text: 'White – English, Welsh, Scottish, Northern Irish or British' },
  { code: 'WIRI', text: 'White – Irish' },
  { code: 'WIRT', text: 'White – Traveller of Irish heritage' },
  { code: 'WROM', text: 'White – Gypsy or Roma' },
  { code: 'WOTH', text: 'White – any other White background' },
  { code: 'MWBC', text: 'Mixed – White and Black Caribbean' },
  { code: 'MWBA', text: 'Mixed – White and Black African' },
  { code: 'MWAS', text: 'Mixed – White and Asian' },
  { code: 'MOTH', text: 'Mixed – any other mixed background' },
  { code: 'AIND', text: 'Asian or Asian British – Indian' },
  { code: 'APKN', text: 'Asian or Asian British – Pakistani' },
  { code: 'ABAN', text: 'Asian or Asian British – Bangladeshi' },
  { code: 'AOTH', text: 'Asian or Asian British – any other Asian background' },
  { code: 'BCRB', text: 'Black or Black British – Caribbean' },
  { code: 'BAFR', text: 'Black or Black British – African' },
  { code: 'BOTH', text: 'Black or Black British – any other Black background' },
  { code: 'CHNE', text: 'Chinese' },
  { code: 'OOTH', text: 'Any other ethnic group' },
  { code: 'REFU', text: 'Refused' },
  { code: 'NOBT', text: 'Information not yet obtained' },
] as const

export type SexCode = (typeof SEXES)[number]['code']
export type EthnicityCode = (typeof ETHNICITIES)[number]['code']

export const SEX_CODES = SEXES.map((sex) => sex.code) as [SexCode, ...SexCode[]]
export const ETHNICITY_CODES = ETHNICITIES.map((ethnicity) => ethnicity.code) as [
  EthnicityCode,
  ...EthnicityCode[],
]

export function sexText(code: string): string {
  return SEXES.find((sex) => sex.code === code)?.text ?? code
}

export function ethnicityText(code: string): string {
  return ETHNICITIES.find((ethnicity) => ethnicity.code === code)?.text ?? code
}
