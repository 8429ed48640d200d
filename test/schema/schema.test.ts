/**
 * The JSON Schema of the price list (SPEC §3) accepts every price list that
 * ships in the repository and rejects documents that are wrong in shape.
 *
 * The schema is for editors (yaml-language-server); callbill validates price
 * lists itself. These tests keep the two from drifting apart on the shipped
 * files, and pin the mistakes an editor must flag.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
const schemaPath = path.join(root, 'schema', 'price-list.schema.json');

function compile(): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as object;
  // strict: an unknown keyword or a type slip in the schema itself is an error here.
  // strictRequired is off because `oneOf: [{required: [per_minute]}, {required: [tiers]}]`
  // (per_minute or tiers, not both) names properties defined beside the oneOf, not in it.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: true, strictRequired: false });
  return ajv.compile(schema);
}

const validate = compile();

function errorsOf(doc: unknown): ErrorObject[] {
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

function describeErrors(errors: ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

/** Every price list the repository ships or uses as a valid fixture. */
function shippedPriceLists(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        // fixtures/errors holds deliberately broken inputs.
        if (path.relative(root, full) === path.join('fixtures', 'errors')) continue;
        walk(full);
      } else if (/\.ya?ml$/.test(entry.name)) {
        found.push(path.relative(root, full));
      }
    }
  };
  for (const dir of ['price-lists', 'fixtures']) {
    const full = path.join(root, dir);
    if (fs.existsSync(full)) walk(full);
  }
  return found.sort();
}

function load(relPath: string): unknown {
  return parse(fs.readFileSync(path.join(root, relPath), 'utf8'));
}

/** A small valid price list to mutate in the negative tests. */
function minimal(): Record<string, any> {
  return parse(`
currency: EUR
timezone: Europe/Lisbon
rounding: half-up
payment_terms_days: 0
invoice_number: "{customer}-{period}"
default_plan: standard
plans:
  standard:
    versions:
      - effective_from: 2026-01-01
        voice:
          per_minute: 0.85
          increment: { first: 60, next: 6 }
        bands:
          - { name: weekend, days: [sat, sun], surcharge_per_minute: 0.30 }
        diversion:
          fee: 50.00
          international:
            increment: { first: 60, next: 60 }
            destinations: { "44": 0.05 }
`) as Record<string, any>;
}

describe('price-list schema', () => {
  it('is itself a valid draft-07 schema that compiles in strict mode', () => {
    expect(typeof validate).toBe('function');
  });

  const files = shippedPriceLists();

  it('finds the shipped price lists', () => {
    expect(files).toContain(path.join('price-lists', 'default.yaml'));
  });

  it.each(files)('accepts %s', (file) => {
    const errors = errorsOf(load(file));
    expect(describeErrors(errors)).toBe('');
  });

  it.each(files)('%s names the schema for yaml-language-server on its first line', (file) => {
    const first = fs.readFileSync(path.join(root, file), 'utf8').split(/\r?\n/, 1)[0] ?? '';
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(m).not.toBeNull();
    const target = path.resolve(path.dirname(path.join(root, file)), m![1]!);
    expect(target).toBe(schemaPath);
  });

  it('accepts the minimal document used by the negative tests', () => {
    expect(describeErrors(errorsOf(minimal()))).toBe('');
  });

  it('accepts prices as quoted plain decimals', () => {
    const doc = minimal();
    doc.plans.standard.versions[0].voice.per_minute = '0.85';
    doc.plans.standard.versions[0].diversion.fee = '50.00';
    expect(describeErrors(errorsOf(doc))).toBe('');
  });

  describe('rejects', () => {
    const cases: Array<[string, (doc: Record<string, any>) => void, string]> = [
      ['an unknown top-level key', (d) => { d.curency = 'EUR'; }, 'additionalProperties'],
      ['an unknown key in a channel', (d) => { d.plans.standard.versions[0].voice.per_minite = 0.85; }, 'additionalProperties'],
      ['a bad rounding mode', (d) => { d.rounding = 'bankers'; }, 'enum'],
      ['a bad day name', (d) => { d.plans.standard.versions[0].bands[0].days = ['sat', 'sunday']; }, 'enum'],
      ['a negative price', (d) => { d.plans.standard.versions[0].voice.per_minute = -0.85; }, 'minimum'],
      ['a negative price as a string', (d) => { d.plans.standard.versions[0].voice.per_minute = '-0.85'; }, 'pattern'],
      ['a price string that is not a plain decimal', (d) => { d.plans.standard.versions[0].voice.per_minute = '0,85'; }, 'pattern'],
      ['a price in exponent notation given as a string', (d) => { d.plans.standard.versions[0].voice.per_minute = '8.5e-1'; }, 'pattern'],
      ['a zero diversion fee', (d) => { d.plans.standard.versions[0].diversion.fee = 0; }, 'exclusiveMinimum'],
      ['a missing required key', (d) => { delete d.timezone; }, 'required'],
      ['a channel with both per_minute and tiers', (d) => {
        d.plans.standard.versions[0].voice.tiers = { mode: 'volume', steps: [{ per_minute: 0.5 }] };
      }, 'oneOf'],
      ['a channel with neither per_minute nor tiers', (d) => { delete d.plans.standard.versions[0].voice.per_minute; }, 'oneOf'],
      ['a bad tier mode', (d) => {
        delete d.plans.standard.versions[0].voice.per_minute;
        d.plans.standard.versions[0].voice.tiers = { mode: 'stepped', steps: [{ per_minute: 0.5 }] };
      }, 'enum'],
      ['an increment of 0 seconds', (d) => { d.plans.standard.versions[0].voice.increment.first = 0; }, 'minimum'],
      ['a fractional increment', (d) => { d.plans.standard.versions[0].voice.increment.next = 1.5; }, 'type'],
      ['a band time that is not HH:MM', (d) => { Object.assign(d.plans.standard.versions[0].bands[0], { from: '8:00', to: '20:00' }); }, 'pattern'],
      ['a band with from but no to', (d) => { d.plans.standard.versions[0].bands[0].from = '20:00'; }, 'dependencies'],
      ['an unknown band channel', (d) => { d.plans.standard.versions[0].bands[0].channels = ['email']; }, 'enum'],
      ['a date that is not YYYY-MM-DD', (d) => { d.plans.standard.versions[0].effective_from = '01/10/2026'; }, 'pattern'],
      ['a destination prefix with a plus sign', (d) => { d.plans.standard.versions[0].diversion.international.destinations = { '+44': 0.05 }; }, 'pattern'],
      ['a lower-case currency', (d) => { d.currency = 'eur'; }, 'pattern'],
      ['an unknown placeholder in invoice_number', (d) => { d.invoice_number = '{customer}-{month}'; }, 'pattern'],
      ['a version list that is empty', (d) => { d.plans.standard.versions = []; }, 'minItems'],
    ];

    it.each(cases)('%s', (_name, mutate, keyword) => {
      const doc = minimal();
      mutate(doc);
      const errors = errorsOf(doc);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.map((e) => e.keyword)).toContain(keyword);
    });

    it.each([
      ['unknown-key', 'additionalProperties'],
      ['negative-price', 'minimum'],
      ['missing-key', 'required'],
      ['several-errors', 'enum'],
    ])('the error fixture fixtures/errors/%s', (name, keyword) => {
      const errors = errorsOf(load(path.join('fixtures', 'errors', name, 'prices.yaml')));
      expect(errors.map((e) => e.keyword)).toContain(keyword);
    });
  });
});
