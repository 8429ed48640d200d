/**
 * Counts in words for people: "1 record", "2 records". The unit of a quantity shown as
 * text ("1", "0.5", "76.5") is singular only for exactly one.
 */
export function counted(n: number | bigint, one: string, many = pluralOf(one)): string {
  return `${n} ${n === 1 || n === 1n ? one : many}`;
}

/** The unit beside a quantity written as decimal text: singular only for "1". */
export function unitFor(quantity: string, unit: string): string {
  return quantity === '1' ? unit : pluralOf(unit);
}

/**
 * The English plural of a unit name, which may come from a price list (`unit: hour`):
 * -s, -es after s, x, z, ch, sh, and -ies after a consonant and y. A name that is not
 * a single word (a space or no letter at its end) is left as it is.
 */
export function pluralOf(word: string): string {
  if (!/[A-Za-z]$/.test(word) || /\s/.test(word)) return word;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}
