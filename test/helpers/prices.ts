import { ConfigError } from '../../src/errors';
import { parsePriceList } from '../../src/pricing/parse-price-list';
import type { PriceList } from '../../src/pricing/types';

/** A price list from YAML written in the test. */
export function prices(yaml: string): PriceList {
  return parsePriceList(yaml, 'prices.yaml');
}

/** The diagnostics of a price list that must not parse, as `line:column: message` strings. */
export function priceErrors(yaml: string): string[] {
  try {
    parsePriceList(yaml, 'prices.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`);
    throw e;
  }
  throw new Error('the price list parsed without errors');
}

/** A minimal valid head of a price list; append plans/versions. */
export const HEAD = `currency: EUR
timezone: Europe/Lisbon
rounding: half-up
`;
