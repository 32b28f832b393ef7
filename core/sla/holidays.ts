/**
 * Public holidays (days off by law) from the maintained `date-holidays`
 * library (in the built app loaded on first use: holiday-library.ts). Only
 * holidays of type "public" close a calendar day; bank holidays,
 * observances, school and optional days do not.
 */
import type Holidays from 'date-holidays';
import { holidayLibrary } from './holiday-library.js';
import { parseDate } from './time.js';

let catalogue: Holidays | null = null;
function lib(): Holidays {
  catalogue ??= new (holidayLibrary())();
  return catalogue;
}

/** The library's country codes, listed once (listing them names every country: a contract is checked more than once). */
let countries: Set<string> | null = null;

/** Supported country codes (upper case). */
export function isKnownCountry(country: string): boolean {
  countries ??= new Set(Object.keys(lib().getCountries('en')));
  return typeof country === 'string' && /^[A-Z]{2}$/.test(country) && countries.has(country);
}

/** Supported region (state) codes of a country. */
export function knownRegions(country: string): string[] {
  return Object.keys(lib().getStates(country) ?? {});
}

const PUBLIC_ONLY = { types: ['public' as const] };
const instances = new Map<string, Holidays>();
const years = new Map<string, Set<number>>();
/** Bounds of the caches (a country's 1,000 years of the supported range fit; a process never grows past them). */
const MAX_INSTANCES = 64;
const MAX_YEARS = 4_096;

/** Entries of the holiday caches (for tests: they are bounded). */
export function holidayCacheSize(): { instances: number; years: number } {
  return { instances: instances.size, years: years.size };
}

/** Day numbers of the public holidays of `country`/`region` in `year` (cached). */
export function publicHolidays(country: string, region: string | undefined, year: number): Set<number> {
  const key = `${country}/${region ?? ''}`;
  const yk = `${key}/${year}`;
  let set = years.get(yk);
  if (set) return set;
  let hd = instances.get(key);
  if (!hd) {
    // only public holidays, and no time zone: the same dates as the public ones of the full list in the
    // country's zone (only the dates are used), at a fraction of the cost (without a zone, the holidays'
    // start and end instants, unused here, are plain Dates instead of moment-timezone conversions)
    const Library = holidayLibrary();
    hd = region ? new Library(country, region, PUBLIC_ONLY) : new Library(country, PUBLIC_ONLY);
    hd.setTimezone(undefined as unknown as string);
    if (instances.size >= MAX_INSTANCES) instances.clear();
    instances.set(key, hd);
  }
  set = new Set<number>();
  for (const h of hd.getHolidays(year)) {
    if (h.type !== 'public') continue;
    const d = parseDate(h.date.slice(0, 10));
    if (d !== null) set.add(d);
  }
  if (years.size >= MAX_YEARS) years.clear();
  years.set(yk, set);
  return set;
}
